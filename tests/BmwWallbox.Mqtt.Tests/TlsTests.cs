using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BmwWallbox.Mqtt.Tests.Infrastructure;
using static BmwWallbox.Mqtt.Tests.Infrastructure.BridgeHarness;

namespace BmwWallbox.Mqtt.Tests;

/// <summary>An external broker with TLS and a private CA (mqtt.broker.tls + ca_file), on a real Mosquitto.</summary>
public class TlsTests
{
    [Fact]
    public async Task Connects_over_tls_when_the_broker_certificate_chains_to_the_configured_ca()
    {
        var setup = MosquittoBroker.NotStarted();
        await using var _ = setup;
        var (caFile, otherCaFile, listener) = WriteCertificates(setup.Directory);
        await using var broker = await MosquittoBroker.StartAsync(listenerOptions: listener);

        var options = External(broker.Port) with
        {
            External = External(broker.Port).External! with { Tls = true, CaFile = caFile },
        };
        await using var harness = new BridgeHarness(options);
        await harness.StartAsync();
        var connected = harness.Logs.NextMatchAsync(e => e.Message.StartsWith("MQTT connected"));
        await connected;
        Assert.True(harness.Bridge.IsConnected);

        // The same broker with a CA that did not sign it: refused, retried in the background.
        var wrong = options with { External = options.External! with { CaFile = otherCaFile, ClientId = "wrong-ca" } };
        await using var untrusting = new BridgeHarness(wrong);
        var refused = untrusting.Logs.NextMatchAsync(e => e.Message.Contains("not reachable"));
        await untrusting.StartAsync();
        await refused;
        Assert.False(untrusting.Bridge.IsConnected);
    }

    /// <summary>A CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA.</summary>
    private static (string CaFile, string OtherCaFile, string ListenerOptions) WriteCertificates(string directory)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Test MQTT CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));

        using var otherKey = RSA.Create(2048);
        using var other = new CertificateRequest("CN=Other CA", otherKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        string Write(string name, string pem)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, pem);
            // mosquitto started as root reads certificates after dropping to its own user.
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            return path;
        }
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var caFile = Write("ca.pem", ca.ExportCertificatePem());
        var certFile = Write("server.pem", server.ExportCertificatePem());
        var keyFile = Write("server.key", serverKey.ExportPkcs8PrivateKeyPem());
        var otherCaFile = Write("other-ca.pem", other.ExportCertificatePem());
        return (caFile, otherCaFile, $"cafile {caFile}\ncertfile {certFile}\nkeyfile {keyFile}");
    }
}

using BmwWallbox.Mqtt.Tests.Infrastructure;
using BmwWallbox.TestKit.Certificates;
using BmwWallbox.TestKit.Mqtt;
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
            Broker = External(broker.Port).Broker! with { Tls = true, CaFile = caFile },
        };
        await using var harness = new BridgeHarness(options);
        await harness.StartAsync();
        var connected = harness.Logs.NextMatchAsync(e => e.Message.StartsWith("MQTT connected"));
        await connected;
        Assert.True(harness.Bridge.IsConnected);

        // The same broker with a CA that did not sign it: refused, retried in the background.
        var wrong = options with { Broker = options.Broker! with { CaFile = otherCaFile, ClientId = "wrong-ca" } };
        await using var untrusting = new BridgeHarness(wrong);
        var refused = untrusting.Logs.NextMatchAsync(e => e.Message.Contains("not reachable"));
        await untrusting.StartAsync();
        await refused;
        Assert.False(untrusting.Bridge.IsConnected);
    }

    /// <summary>A CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA.</summary>
    private static (string CaFile, string OtherCaFile, string ListenerOptions) WriteCertificates(string directory)
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = TestCertificates.Ca("Test MQTT CA", now);
        using var server = TestCertificates.Leaf(ca, now, "127.0.0.1", "localhost");
        using var other = TestCertificates.Ca("Other CA", now);

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
        var keyFile = Write("server.key", TestCertificates.KeyPem(server));
        var otherCaFile = Write("other-ca.pem", other.ExportCertificatePem());
        return (caFile, otherCaFile, $"cafile {caFile}\ncertfile {certFile}\nkeyfile {keyFile}");
    }
}

using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BmwWallbox.Core;
using BmwWallbox.Ocpp.Tests.Support;
using BmwWallbox.TestKit.Tls;
using BmwWallbox.TestKit.Certificates;
using BmwWallbox.TestKit.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BmwWallbox.Ocpp.Tests;

public sealed class TlsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ocpp-tls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Missing_files_with_self_signed_generate_a_dev_certificate_once_and_reuse_it()
    {
        var logs = new TestLogs();
        var tls = new TlsOptions { Cert = Path.Combine(_dir, "none.pem"), Key = Path.Combine(_dir, "none-key.pem"), SelfSigned = true };
        var time = new ManualClock(DateTimeOffset.UtcNow);

        using var first = ServerCertificate.Load(tls, _dir, logs.CreateLogger("tls"), time);
        using var second = ServerCertificate.Load(tls, _dir, logs.CreateLogger("tls"), time);

        Assert.True(first.IsSelfSigned);
        Assert.True(File.Exists(Path.Combine(_dir, "tls", "selfsigned-cert.pem")));
        Assert.True(File.Exists(Path.Combine(_dir, "tls", "selfsigned-key.pem")));
        Assert.Equal(first.Certificate.Thumbprint, second.Certificate.Thumbprint);
        var san = first.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", san.EnumerateDnsNames());
        Assert.Contains(System.Net.Dns.GetHostName(), san.EnumerateDnsNames());
        Assert.Contains(System.Net.IPAddress.Loopback, san.EnumerateIPAddresses());
        Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("public CA"));
    }

    [Fact]
    public void Missing_files_without_self_signed_name_the_file_and_the_fix()
    {
        var tls = new TlsOptions { Cert = Path.Combine(_dir, "fullchain.pem"), Key = Path.Combine(_dir, "privkey.pem"), SelfSigned = false };

        var e = Assert.Throws<FileNotFoundException>(() => ServerCertificate.Load(tls, _dir, NullLogger.Instance, TimeProvider.System));

        Assert.Equal(tls.Cert, e.FileName);
        Assert.Contains("ocpp.tls.self_signed: true", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_dir, "tls")));
    }

    [Fact]
    public void A_key_without_its_certificate_is_an_error_even_with_self_signed()
    {
        var tls = new TlsOptions { Cert = Path.Combine(_dir, "fullchain.pem"), Key = Path.Combine(_dir, "privkey.pem"), SelfSigned = true };
        File.WriteAllText(tls.Key, "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n");

        var e = Assert.Throws<FileNotFoundException>(() => ServerCertificate.Load(tls, _dir, NullLogger.Instance, TimeProvider.System));

        Assert.Equal(tls.Cert, e.FileName);
    }

    [Fact]
    public void A_key_that_does_not_belong_to_the_certificate_is_reported()
    {
        using var a = ServerCertificate.CreateSelfSigned(TimeProvider.System);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tls = new TlsOptions { Cert = Path.Combine(_dir, "fullchain.pem"), Key = Path.Combine(_dir, "privkey.pem") };
        File.WriteAllText(tls.Cert, a.Certificate.ExportCertificatePem());
        File.WriteAllText(tls.Key, other.ExportPkcs8PrivateKeyPem());

        var e = Assert.Throws<InvalidDataException>(() => ServerCertificate.Load(tls, _dir, NullLogger.Instance, TimeProvider.System));

        Assert.Contains(tls.Key, e.Message);
    }

    [Fact]
    public async Task Full_chain_from_PEM_files_is_served_leaf_and_intermediate()
    {
        var (leaf, intermediate, root) = CreateChain();
        var tls = new TlsOptions { Cert = Path.Combine(_dir, "fullchain.pem"), Key = Path.Combine(_dir, "privkey.pem"), SelfSigned = false };
        File.WriteAllText(tls.Cert, TestCertificates.Pem(leaf, intermediate));
        File.WriteAllText(tls.Key, TestCertificates.KeyPem(leaf));
        var certificate = ServerCertificate.Load(tls, _dir, NullLogger.Instance, TimeProvider.System);
        Assert.Single(certificate.Chain);
        Assert.False(certificate.IsSelfSigned);

        await using var server = await OcppTestServer.StartAsync(certificate: certificate);
        using var client = server.CreateClient();
        string[]? served = null;
        client.Options.RemoteCertificateValidationCallback = (_, _, chain, _) =>
        {
            // Only the server can have supplied the intermediate: it is in no store here.
            served = chain!.ChainElements.Select(e => e.Certificate.Thumbprint).ToArray();
            return true;
        };
        await client.ConnectAsync(server.Url(), CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        await using var station = new TestStation(client);

        Assert.NotNull(served);
        Assert.Equal(leaf.Thumbprint, served[0]);
        Assert.Contains(intermediate.Thumbprint, served);
        root.Dispose();
    }

    /// <summary>OCPP 2.0.1 security profile 2 (A00.FR.318) lists the two plain-RSA suites besides the ECDHE ones.</summary>
    [Theory]
    [InlineData(TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256)]
    public async Task A_TLS_1_2_client_limited_to_one_profile_2_suite_connects(TlsCipherSuite suite)
    {
        if (!OperatingSystem.IsLinux()) return; // the server chooses its suites on Linux only (OpenSSL)
        await using var server = await OcppTestServer.StartAsync(certificate: RsaCertificate());

        var negotiated = (await TlsHandshake.RunAsync(server.Port, SslProtocols.Tls12, suite)).Suite;

        Assert.Equal(suite, negotiated);
    }

    /// <summary>With an EC certificate (the development one) the ECDSA suites; CHACHA20 only with our policy (.NET's default list has no TLS 1.2 CHACHA20).</summary>
    [Theory]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)]
    public async Task A_TLS_1_2_client_limited_to_one_ECDSA_suite_connects_with_an_EC_certificate(TlsCipherSuite suite)
    {
        if (!OperatingSystem.IsLinux()) return;
        await using var server = await OcppTestServer.StartAsync();

        Assert.Equal(suite, (await TlsHandshake.RunAsync(server.Port, SslProtocols.Tls12, suite)).Suite);
    }

    [Fact]
    public async Task A_default_client_gets_TLS_1_3()
    {
        await using var server = await OcppTestServer.StartAsync(certificate: RsaCertificate());

        Assert.Equal(SslProtocols.Tls13, (await TlsHandshake.RunAsync(server.Port)).Protocol);
    }

    /// <summary>
    /// The cipher-suite policy is set only for clients that need it, so the others share the server's one
    /// OpenSSL context, and with it its session cache: a client's second TLS 1.2 connection resumes the first
    /// one's session (the server sends no certificate again). With a policy on every connection it would not.
    /// </summary>
    [Fact]
    public async Task An_ECDHE_clients_second_connection_resumes_its_TLS_session()
    {
        if (!OperatingSystem.IsLinux()) return;
        await using var server = await OcppTestServer.StartAsync(certificate: RsaCertificate());
        var target = $"resume-{Guid.NewGuid():N}.test"; // the client keeps sessions per target host: none from other tests

        var first = await ServerFlightAsync(server, target);
        var second = await ServerFlightAsync(server, target);

        Assert.True(TlsTranscript.ServerSentCertificate(first), "the first handshake is a full one");
        Assert.False(TlsTranscript.ServerSentCertificate(second), "the second handshake resumed the first one's session");
    }

    /// <summary>A TLS 1.2 handshake (the client's default suites, no policy of its own, so it keeps its session) and what the server sent in it.</summary>
    private static async Task<byte[]> ServerFlightAsync(OcppTestServer server, string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, server.Port);
        var tap = new TappedStream(tcp.GetStream());
        await using var tls = new SslStream(tap);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = target,
            EnabledSslProtocols = SslProtocols.Tls12,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }).WaitAsync(TestTimeouts.Guard);
        Assert.StartsWith("TLS_ECDHE_RSA_", tls.NegotiatedCipherSuite.ToString());
        return tap.BytesRead;
    }

    [Fact]
    public async Task TLS_1_1_is_refused()
    {
        await using var server = await OcppTestServer.StartAsync(certificate: RsaCertificate());

#pragma warning disable SYSLIB0039 // TLS 1.1 on purpose: it must be refused
        await Assert.ThrowsAnyAsync<Exception>(() => TlsHandshake.RunAsync(server.Port, SslProtocols.Tls11));
#pragma warning restore SYSLIB0039
    }

    private ServerCertificate RsaCertificate()
    {
        var (leaf, intermediate, root) = CreateChain();
        var cert = Path.Combine(_dir, "rsa-fullchain.pem");
        var key = Path.Combine(_dir, "rsa-privkey.pem");
        File.WriteAllText(cert, TestCertificates.Pem(leaf, intermediate));
        File.WriteAllText(key, TestCertificates.KeyPem(leaf));
        leaf.Dispose();
        intermediate.Dispose();
        root.Dispose();
        return ServerCertificate.FromPemFiles(cert, key);
    }

    /// <summary>root CA → intermediate CA (ECDSA) → leaf for localhost (RSA), like a public CA's fullchain.pem.</summary>
    private static (X509Certificate2 Leaf, X509Certificate2 Intermediate, X509Certificate2 Root) CreateChain()
    {
        var now = DateTimeOffset.UtcNow;
        var root = TestCertificates.Ca("Test Root CA", now);
        var intermediate = TestCertificates.Ca("Test Intermediate CA", now, root);
        return (TestCertificates.RsaLeaf(intermediate, now, "localhost", "127.0.0.1"), intermediate, root);
    }
}

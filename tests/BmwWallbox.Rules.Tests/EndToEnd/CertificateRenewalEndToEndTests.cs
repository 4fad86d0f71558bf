using BmwWallbox.Ocpp;
using BmwWallbox.TestKit.Certificates;
using BmwWallbox.TestKit.Tls;

namespace BmwWallbox.Rules.Tests.EndToEnd;

/// <summary>
/// Certificate files put in place or renewed (certbot, every 60 days) while bmw-rules runs are served from then on,
/// without a restart, and the box already connected stays connected.
/// </summary>
public class CertificateRenewalEndToEndTests
{
    [Fact]
    public async Task Certificate_files_put_in_place_while_running_are_served_without_a_restart()
    {
        await using var h = await DaemonHarness.StartAsync(); // ocpp.tls names missing-cert.pem and missing-key.pem: the development certificate
        await h.ConnectBoxAsync();
        var now = DateTimeOffset.UtcNow;
        using var root = TestCertificates.Ca("Test Root CA", now);
        using var intermediate = TestCertificates.Ca("Test Intermediate CA", now, root);
        using var leaf = TestCertificates.Leaf(intermediate, now, "localhost", "127.0.0.1");

        // Relative to the config's folder, as the config names them.
        await File.WriteAllTextAsync(Path.Combine(h.Dir, "missing-cert.pem"), TestCertificates.Pem(leaf, intermediate));
        await File.WriteAllTextAsync(Path.Combine(h.Dir, "missing-key.pem"), TestCertificates.KeyPem(leaf));
        h.Time.Advance(CertificateFileWatch.Poll);
        h.Time.Advance(CertificateFileWatch.Debounce);

        var served = await TlsHandshake.RunAsync(h.OcppPort);
        Assert.Equal([leaf.Thumbprint, intermediate.Thumbprint], served.Chain[..2]);
        Assert.True(h.Daemon.Server.States.Get(DaemonHarness.StationId)!.Connected);
    }
}

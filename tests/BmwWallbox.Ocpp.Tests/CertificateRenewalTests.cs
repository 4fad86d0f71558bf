using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BmwWallbox.Core;
using BmwWallbox.Ocpp.Tests.Support;
using BmwWallbox.TestKit.Tls;
using BmwWallbox.TestKit.Certificates;
using BmwWallbox.TestKit.Logging;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>
/// Let's Encrypt certificates last 90 days and certbot renews them every 60: the renewed files are served
/// without a restart (<see cref="OcppServer.UseCertificate"/>, <see cref="CertificateFileWatch"/>).
/// </summary>
public sealed class CertificateRenewalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ocpp-renewal-").FullName;
    private readonly X509Certificate2 _root;
    private readonly X509Certificate2 _intermediate;
    private readonly TlsOptions _tls;
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly TestLogs _logs = new();
    private readonly List<ServerCertificate> _handedOver = [];

    public CertificateRenewalTests()
    {
        var now = DateTimeOffset.UtcNow;
        _root = TestCertificates.Ca("Test Root CA", now);
        _intermediate = TestCertificates.Ca("Test Intermediate CA", now, _root);
        _tls = new TlsOptions { Cert = Path.Combine(_dir, "fullchain.pem"), Key = Path.Combine(_dir, "privkey.pem"), SelfSigned = false };
    }

    public void Dispose()
    {
        _root.Dispose();
        _intermediate.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_certificate_handed_to_the_running_server_is_served_with_its_chain_and_open_connections_stay()
    {
        await using var server = await OcppTestServer.StartAsync();
        await using var station = await server.ConnectStationAsync(); // trusts only the first certificate
        using var leaf = TestCertificates.Leaf(_intermediate, DateTimeOffset.UtcNow, "localhost");
        using var renewed = WriteAndLoad(leaf);

        server.Server.UseCertificate(renewed);

        var served = await TlsHandshake.RunAsync(server.Port);
        Assert.Equal(leaf.Thumbprint, served.Chain[0]);
        Assert.Contains(_intermediate.Thumbprint, served.Chain); // quirk 11: the full chain, after a renewal too
        var answer = await station.CallAsync("Heartbeat", "{}");
        Assert.Equal(3, answer[0].GetInt32());
    }

    /// <summary>
    /// Which clients need our cipher-suite policy depends on the served key (RSA or EC), so it must follow a renewal
    /// that changes the key type. This TLS 1.2 client offers an ECDHE_RSA suite (the system's defaults serve that
    /// with an RSA key) and ECDSA CHACHA20 (only our policy serves it): judged by the old RSA key it would get the
    /// system's defaults and no suite in common with the new EC key.
    /// </summary>
    [Fact]
    public async Task After_a_renewal_from_an_RSA_to_an_EC_key_the_cipher_suites_follow_the_new_key()
    {
        if (!OperatingSystem.IsLinux()) return; // the server chooses its suites on Linux only (OpenSSL)
        using var rsaLeaf = TestCertificates.RsaLeaf(_intermediate, DateTimeOffset.UtcNow, "localhost");
        await using var server = await OcppTestServer.StartAsync(certificate: WriteAndLoad(rsaLeaf));
        using var ecLeaf = TestCertificates.Leaf(_intermediate, DateTimeOffset.UtcNow, "localhost");
        using var renewed = WriteAndLoad(ecLeaf);

        server.Server.UseCertificate(renewed);

        var served = await TlsHandshake.RunAsync(server.Port, SslProtocols.Tls12,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256);
        Assert.Equal(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, served.Suite);
        Assert.Equal(ecLeaf.Thumbprint, served.Chain[0]);
    }

    [Fact]
    public async Task Renewed_files_reach_the_server_at_the_next_look_and_files_rewritten_unchanged_do_not()
    {
        using var first = TestCertificates.Leaf(_intermediate, DateTimeOffset.UtcNow, "localhost");
        await using var server = await OcppTestServer.StartAsync(certificate: WriteAndLoad(first));
        using var watch = Watch(server.Certificate!, server.Server.UseCertificate);

        WriteFiles(first); // the same content again: certbot's "not yet due", a touch
        LookNow();
        Assert.Equal(first.Thumbprint, (await TlsHandshake.RunAsync(server.Port)).Chain[0]);

        using var second = TestCertificates.Leaf(_intermediate, DateTimeOffset.UtcNow, "localhost");
        WriteFiles(second);
        LookNow();

        Assert.Equal(second.Thumbprint, (await TlsHandshake.RunAsync(server.Port)).Chain[0]);
        var line = Assert.Single(_logs.Entries, e => e.Message.Contains("served from now on"));
        Assert.Contains(_tls.Cert, line.Message);
        Assert.Contains("+1 intermediate(s)", line.Message);
    }

    [Fact]
    public void A_half_written_renewal_keeps_the_certificate_served_and_says_why_once_then_loads_when_complete()
    {
        using var first = TestCertificates.Leaf(_intermediate, DateTimeOffset.UtcNow, "localhost");
        using var serving = WriteAndLoad(first);
        using var watch = Watch(serving, _handedOver.Add);
        using var second = TestCertificates.Leaf(_intermediate, DateTimeOffset.UtcNow, "localhost");

        File.WriteAllText(_tls.Cert, TestCertificates.Pem(second, _intermediate)); // the key is still the old one
        LookNow();
        LookNow();

        Assert.Empty(_handedOver);
        var warning = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains(_tls.Key, warning.Message);
        Assert.Contains("still serving CN=localhost", warning.Message);

        File.WriteAllText(_tls.Key, TestCertificates.KeyPem(second));
        LookNow();

        Assert.Equal(second.Thumbprint, Assert.Single(_handedOver).Certificate.Thumbprint);
    }

    [Fact]
    public void A_removed_file_is_reported_once_and_the_certificate_served_stays()
    {
        using var first = TestCertificates.Leaf(_intermediate, DateTimeOffset.UtcNow, "localhost");
        using var serving = WriteAndLoad(first);
        using var watch = Watch(serving, _handedOver.Add);

        File.Delete(_tls.Key);
        LookNow();
        LookNow();

        Assert.Empty(_handedOver);
        var warning = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains($"{_tls.Key} is gone", warning.Message);
    }

    /// <summary>The common first setup: started on the development certificate, then the real files are put in place.</summary>
    [Fact]
    public async Task Real_files_put_in_place_while_the_development_certificate_is_served_are_noticed_and_served()
    {
        using var development = ServerCertificate.CreateSelfSigned(_clock);
        using var watch = Watch(development, _handedOver.Add);
        var noticed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watch.ChangeNoticed += () => noticed.TrySetResult();
        using var leaf = TestCertificates.Leaf(_intermediate, DateTimeOffset.UtcNow, "localhost");

        WriteFiles(leaf);
        await noticed.Task.WaitAsync(TestTimeouts.Guard); // seen by the file system watcher, not the poll
        _clock.Advance(CertificateFileWatch.Debounce);

        Assert.Equal(leaf.Thumbprint, Assert.Single(_handedOver).Certificate.Thumbprint);
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    /// <summary>A renewal that stopped working (certbot's DNS credentials expired) is noticed before the box stops connecting.</summary>
    [Fact]
    public void A_certificate_that_expires_soon_is_told_at_start_and_then_once_a_day_until_renewed()
    {
        var now = _clock.GetUtcNow();
        using var expiring = TestCertificates.Leaf(_intermediate, now.AddDays(-80), now.AddDays(5).AddHours(-1), "localhost");
        using var serving = WriteAndLoad(expiring);

        using var watch = Watch(serving, _handedOver.Add);
        LookNow();

        var told = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("expires in 5 day(s)", told.Message);
        Assert.Contains("renew it", told.Message);
        Assert.StartsWith($"The TLS certificate (CN=localhost) expires on {expiring.NotAfter.ToUniversalTime():yyyy-MM-dd}", watch.Serving.Notice(_clock.GetUtcNow()));

        Elapse(TimeSpan.FromDays(1));
        Assert.Equal(2, _logs.Entries.Count(e => e.Level == LogLevel.Warning));

        Elapse(TimeSpan.FromDays(5));
        Assert.Contains("expired on", _logs.Entries.Last(e => e.Level == LogLevel.Warning).Message);
        Assert.Contains("cannot connect", watch.Serving.Notice(_clock.GetUtcNow()));

        using var renewed = TestCertificates.Leaf(_intermediate, _clock.GetUtcNow(), "localhost"); // 90 days
        var before = _logs.Entries.Count(e => e.Level == LogLevel.Warning);
        WriteFiles(renewed);
        LookNow();
        Elapse(TimeSpan.FromDays(2));

        Assert.Equal(renewed.Thumbprint, Assert.Single(_handedOver).Certificate.Thumbprint);
        Assert.Equal(before, _logs.Entries.Count(e => e.Level == LogLevel.Warning));
        Assert.Null(watch.Serving.Notice(_clock.GetUtcNow()));
    }

    private CertificateFileWatch Watch(ServerCertificate serving, Action<ServerCertificate> onRenewed) =>
        new(_tls, serving, onRenewed, _logs.CreateLogger("tls"), _clock);

    /// <summary>The poll's look (a file system watcher may also have seen the change: the content decides, not the event).</summary>
    private void LookNow() => Elapse(CertificateFileWatch.Poll);

    /// <summary>
    /// Time passes, and the poll's last look happens: the virtual clock stands at the end of a leap while it runs the
    /// timers due within it, so the look a poll arms (quiet for <see cref="CertificateFileWatch.Debounce"/>) comes after it.
    /// </summary>
    private void Elapse(TimeSpan time)
    {
        _clock.Advance(time);
        _clock.Advance(CertificateFileWatch.Debounce);
    }

    private void WriteFiles(X509Certificate2 leaf)
    {
        File.WriteAllText(_tls.Cert, TestCertificates.Pem(leaf, _intermediate));
        File.WriteAllText(_tls.Key, TestCertificates.KeyPem(leaf));
    }

    private ServerCertificate WriteAndLoad(X509Certificate2 leaf)
    {
        WriteFiles(leaf);
        return ServerCertificate.FromPemFiles(_tls.Cert, _tls.Key);
    }
}

using System.Net;
using System.Security.Cryptography.X509Certificates;
using BmwWallbox.Ocpp;
using BmwWallbox.TestKit.Certificates;
using BmwWallbox.TestKit.Tls;

namespace BmwWallbox.Dashboard.Tests;

/// <summary>
/// http.tls: the dashboard over https with the OCPP server's certificate (the box already needs one for the
/// host name), so the password and the session cookie never cross the network in clear, renewed with it.
/// </summary>
public class DashboardTlsTests
{
    private const string Password = "correct-horse-battery";

    [Fact]
    public async Task The_dashboard_speaks_https_with_the_OCPP_certificate_and_follows_its_renewal()
    {
        await using var rig = await DaemonHarness.StartAsync(httpYaml: "tls: true");
        using var http = rig.Http();

        Assert.Equal("https", rig.Url.Scheme);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/state")).StatusCode);
        var ocpp = await TlsHandshake.RunAsync(rig.OcppPort);
        Assert.Equal(ocpp.Chain[0], (await TlsHandshake.RunAsync(rig.Dashboard.Port)).Chain[0]);

        var now = DateTimeOffset.UtcNow;
        using var root = TestCertificates.Ca("Test Root CA", now);
        using var intermediate = TestCertificates.Ca("Test Intermediate CA", now, root);
        using var leaf = TestCertificates.Leaf(intermediate, now, "localhost");
        using var renewed = ServerCertificateOf(rig.Dir, leaf, intermediate);
        rig.Daemon.Server.UseCertificate(renewed);

        var served = await TlsHandshake.RunAsync(rig.Dashboard.Port);
        Assert.Equal([leaf.Thumbprint, intermediate.Thumbprint], served.Chain[..2]);
    }

    [Fact]
    public async Task Over_https_the_session_cookie_is_sent_over_https_only()
    {
        await using var rig = await DaemonHarness.StartAsync(httpYaml: $"tls: true\n  password: \"{Password}\"");
        using var http = rig.Http();

        var login = await http.PostAsync("/login", new FormUrlEncodedContent([new("password", Password), new("next", "/")]));

        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Contains("secure", Assert.Single(login.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/state")).StatusCode);
    }

    private static ServerCertificate ServerCertificateOf(string dir, X509Certificate2 leaf, X509Certificate2 intermediate)
    {
        var cert = Path.Combine(dir, "renewed-fullchain.pem");
        var key = Path.Combine(dir, "renewed-privkey.pem");
        File.WriteAllText(cert, TestCertificates.Pem(leaf, intermediate));
        File.WriteAllText(key, TestCertificates.KeyPem(leaf));
        return ServerCertificate.FromPemFiles(cert, key);
    }
}

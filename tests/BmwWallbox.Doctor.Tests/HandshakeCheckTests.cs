using System.Security.Cryptography.X509Certificates;
using BmwWallbox.Core;
using BmwWallbox.TestKit.Certificates;
using BmwWallbox.TestKit.Ocpp;

namespace BmwWallbox.Doctor.Tests;

/// <summary>Step 5 probes the server without posing as a station: no credentials, no WebSocket, no session.</summary>
public sealed class HandshakeCheckTests : IDisposable
{
    private const string StationId = "DE*BMW*E1";
    private const string Password = "correct-horse-battery-staple";
    private static readonly DoctorCheck PortOk = new(DoctorSteps.Port, "port", CheckStatus.Ok, "held by bmw-rules");
    private readonly X509Certificate2 _serverCert = TestCertificates.Leaf(null, DateTimeOffset.UtcNow, "doctor-test.example");
    private readonly Dictionary<string, string> _passwords = new() { [StationId] = Password };

    private readonly string _dir = Directory.CreateTempSubdirectory("doctor-handshake-").FullName;

    public void Dispose()
    {
        _serverCert.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <param name="certPath">ocpp.tls.cert; by default a file that does not exist (step 2's concern).</param>
    private Task<IReadOnlyList<DoctorCheck>> RunAsync(int port, bool insecure = false, DoctorCheck? portCheck = null, string? certPath = null) =>
        new HandshakeCheck(TimeProvider.System).RunAsync(
            new DoctorInput
            {
                BindAddress = "127.0.0.1", Port = port, AllowInsecure = insecure, Stations = [new(StationId, "garage")],
                CertPath = certPath ?? Path.Combine(_dir, "missing.pem"),
            },
            portCheck ?? PortOk, CancellationToken.None).WaitAsync(TestTimeouts.Slow);

    /// <summary>bmw-rules serves renewed files within seconds; when it still presents another certificate, the renewal did not load.</summary>
    [Fact]
    public async Task A_server_presenting_another_certificate_than_the_file_holds_is_reported()
    {
        await using var server = await FakeCsmsServer.StartAsync(_serverCert, _passwords);
        using var renewed = TestCertificates.Leaf(null, DateTimeOffset.UtcNow, "renewed.example");
        var file = Path.Combine(_dir, "fullchain.pem");
        await File.WriteAllTextAsync(file, TestCertificates.Pem(renewed));

        var checks = await RunAsync(server.Port, certPath: file);

        Assert.Equal(CheckStatus.Ok, checks[0].Status);
        var stale = checks[1];
        Assert.Equal((CheckStatus.Warn, "handshake.certificate"), (stale.Status, stale.Name));
        Assert.Contains("presents CN=doctor-test.example", stale.Message);
        Assert.Contains($"not the certificate in {file} (CN=renewed.example", stale.Message);
        Assert.Contains("its log says why", stale.Fix);
    }

    [Fact]
    public async Task A_server_presenting_the_files_certificate_needs_no_further_line()
    {
        await using var server = await FakeCsmsServer.StartAsync(_serverCert, _passwords);
        var file = Path.Combine(_dir, "fullchain.pem");
        await File.WriteAllTextAsync(file, TestCertificates.Pem(_serverCert));

        var check = Assert.Single(await RunAsync(server.Port, certPath: file));

        Assert.Equal(CheckStatus.Ok, check.Status);
    }

    [Fact]
    public async Task The_probe_reports_the_certificate_and_sends_no_password_and_no_websocket_upgrade()
    {
        await using var server = await FakeCsmsServer.StartAsync(_serverCert, _passwords);

        var check = Assert.Single(await RunAsync(server.Port));

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Contains("CN=doctor-test.example (self-signed)", check.Message);
        Assert.Contains("no station credentials sent", check.Message);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/" + ServerProbe.Path, request.Path);
        Assert.Null(request.Authorization);
        Assert.False(request.WebSocketUpgrade);
    }

    [Fact]
    public async Task A_port_held_by_another_program_is_not_probed_at_all()
    {
        await using var server = await FakeCsmsServer.StartAsync(_serverCert, _passwords);
        var held = new DoctorCheck(DoctorSteps.Port, "port", CheckStatus.Fail, $"127.0.0.1:{server.Port} held by nginx (pid 1)", "stop it");

        var check = Assert.Single(await RunAsync(server.Port, portCheck: held));

        Assert.Equal(CheckStatus.Info, check.Status);
        Assert.Contains("not probed", check.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_like_bmw_rules_fails()
    {
        // Another OCPP server does not know the probe: to it, it is an unknown station (404).
        await using var server = await FakeCsmsServer.StartAsync(_serverCert, _passwords, answerProbe: false);

        var check = Assert.Single(await RunAsync(server.Port));

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("answered HTTP 404", check.Message);
        Assert.Null(Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task Plain_server_where_tls_is_expected_is_a_tls_failure()
    {
        await using var server = await FakeCsmsServer.StartAsync(null, _passwords);

        var check = Assert.Single(await RunAsync(server.Port));

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Equal("handshake.tls", check.Name);
    }

    [Fact]
    public async Task Insecure_mode_probes_over_plain_http()
    {
        await using var server = await FakeCsmsServer.StartAsync(null, _passwords);

        var check = Assert.Single(await RunAsync(server.Port, insecure: true));

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Contains("plain ws", check.Message);
        Assert.Null(Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task Nothing_listening_warns_once_how_to_start_an_instance()
    {
        var input = new DoctorInput
        {
            BindAddress = "0.0.0.0",
            Port = FreePort.Next(),
            Stations = [new("a", "a"), new("b", "b")],
        };

        var checks = await new HandshakeCheck(TimeProvider.System).RunAsync(input, PortOk, CancellationToken.None).WaitAsync(TestTimeouts.Slow);

        var check = Assert.Single(checks);
        Assert.Equal(CheckStatus.Warn, check.Status);
        Assert.Contains("no running instance", check.Message);
        Assert.Equal("start it with `bmw-rules run --config config.yaml`", check.Fix);
    }
}

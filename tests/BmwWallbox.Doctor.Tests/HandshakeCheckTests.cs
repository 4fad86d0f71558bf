using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;

namespace BmwWallbox.Doctor.Tests;

public sealed class HandshakeCheckTests : IDisposable
{
    private const string StationId = "DE*BMW*E1";
    private const string Password = "correct-horse-battery-staple";
    private readonly X509Certificate2 _serverCert = TestCertificates.Leaf(null, DateTimeOffset.UtcNow, "doctor-test.example");
    private readonly Dictionary<string, string> _passwords = new() { [StationId] = Password };

    public void Dispose() => _serverCert.Dispose();

    private static Task<IReadOnlyList<DoctorCheck>> RunAsync(int port, string password, string id = StationId, bool insecure = false) =>
        new HandshakeCheck(TimeProvider.System).RunAsync(
            new DoctorInput { BindAddress = "127.0.0.1", Port = port, AllowInsecure = insecure, Stations = [new(id, password, "garage")] },
            new HashSet<string>(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

    [Fact]
    public async Task Correct_password_completes_the_handshake_reports_the_certificate_and_closes_normally()
    {
        await using var server = await TestOcppServer.StartAsync(_serverCert, _passwords);

        var check = Assert.Single(await RunAsync(server.Port, Password));

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Contains("password accepted, ocpp2.0.1", check.Message);
        Assert.Contains("CN=doctor-test.example (self-signed)", check.Message);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await server.NextCloseAsync());
    }

    [Fact]
    public async Task Wrong_password_fails_with_401_and_says_the_server_refused_it()
    {
        await using var server = await TestOcppServer.StartAsync(_serverCert, _passwords);

        var check = Assert.Single(await RunAsync(server.Port, "not-the-password-at-all"));

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Equal("handshake.password", check.Name);
        Assert.Contains("the server refused the password (HTTP 401)", check.Message);
        Assert.Contains("differs from", check.Fix);
    }

    [Fact]
    public async Task Unknown_station_fails_with_404()
    {
        await using var server = await TestOcppServer.StartAsync(_serverCert, _passwords);

        var check = Assert.Single(await RunAsync(server.Port, Password, id: "DE*BMW*OTHER"));

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Equal("handshake.station", check.Name);
        Assert.Contains("HTTP 404", check.Message);
    }

    [Fact]
    public async Task Server_without_the_ocpp_subprotocol_fails()
    {
        await using var server = await TestOcppServer.StartAsync(_serverCert, _passwords, agreeSubprotocol: false);

        var check = Assert.Single(await RunAsync(server.Port, Password));

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("did not agree to subprotocol ocpp2.0.1", check.Message);
    }

    [Fact]
    public async Task Plain_server_where_tls_is_expected_is_a_tls_failure()
    {
        await using var server = await TestOcppServer.StartAsync(null, _passwords);

        var check = Assert.Single(await RunAsync(server.Port, Password));

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Equal("handshake.tls", check.Name);
    }

    [Fact]
    public async Task Insecure_mode_handshakes_over_plain_ws()
    {
        await using var server = await TestOcppServer.StartAsync(null, _passwords);

        var check = Assert.Single(await RunAsync(server.Port, Password, insecure: true));

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Contains("plain ws", check.Message);
    }

    [Fact]
    public async Task Nothing_listening_warns_once_how_to_start_an_instance()
    {
        var input = new DoctorInput
        {
            BindAddress = "0.0.0.0",
            Port = PortCheckTests.FreePort(),
            Stations = [new("a", Password, "a"), new("b", Password, "b")],
        };

        var checks = await new HandshakeCheck(TimeProvider.System).RunAsync(input, new HashSet<string>(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        var check = Assert.Single(checks);
        Assert.Equal(CheckStatus.Warn, check.Status);
        Assert.Contains("no running instance", check.Message);
        Assert.Equal("start it with `bmw-rules run --config config.yaml`", check.Fix);
    }

    [Fact]
    public async Task Station_connected_right_now_is_not_tried_again()
    {
        await using var server = await TestOcppServer.StartAsync(_serverCert, _passwords);
        var input = new DoctorInput { BindAddress = "127.0.0.1", Port = server.Port, Stations = [new(StationId, "wrong-password-would-fail", "garage")] };

        var check = Assert.Single(await new HandshakeCheck(TimeProvider.System).RunAsync(input, new HashSet<string> { StationId }, CancellationToken.None));

        Assert.Equal(CheckStatus.Ok, check.Status);
        Assert.Contains("connected right now", check.Message);
    }
}

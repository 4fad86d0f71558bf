using System.Net;
using System.Net.WebSockets;
using BmwWallbox.Core;
using BmwWallbox.Ocpp.Tests.Support;

namespace BmwWallbox.Ocpp.Tests;

public sealed class ConnectionTests
{
    [Fact]
    public async Task Station_with_right_credentials_connects_over_TLS_with_the_ocpp_subprotocol()
    {
        await using var server = await OcppTestServer.StartAsync();
        using var watcher = new StateWatcher(server.Server.States);
        Assert.False(server.Server.States.Get(OcppTestServer.StationId)!.Connected);

        await using var station = await server.ConnectStationAsync();

        Assert.Equal("ocpp2.0.1", station.Socket.SubProtocol);
        var connected = await watcher.NextAsync(WallboxEventKind.Connected);
        Assert.True(connected.State.Connected);
        Assert.Equal("garage", connected.State.Name);
    }

    [Fact]
    public async Task A_station_s_WebSocket_request_is_not_traced_by_the_host_while_Kestrel_still_logs()
    {
        await using var server = await OcppTestServer.StartAsync();
        using var watcher = new StateWatcher(server.Server.States);

        await using var station = await server.ConnectStationAsync();
        await watcher.NextAsync(WallboxEventKind.Connected);

        // While ASP.NET Core's request diagnostics can log, the host keeps an Activity and a log scope per request,
        // and a station's one request lasts as long as its connection.
        Assert.DoesNotContain(server.Logs.Entries, e => e.Message.StartsWith("Request starting", StringComparison.Ordinal));
        Assert.Contains(server.Logs.Entries, e => e.Message.StartsWith("Connection id", StringComparison.Ordinal) && e.Message.EndsWith("accepted.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Percent_encoded_station_id_is_decoded()
    {
        await using var server = await OcppTestServer.StartAsync();
        await using var station = await server.ConnectStationAsync("DE%2ABMW%2AE1TEST");
        Assert.Equal(WebSocketState.Open, station.Socket.State);
    }

    [Theory]
    [InlineData(OcppTestServer.StationId, "wrong-password-0000000", "wrong password")]
    [InlineData("someone-else", OcppTestServer.Password, "user name is not the station id")]
    [InlineData(null, null, "no Basic credentials")]
    public async Task Bad_or_missing_credentials_get_401_without_upgrade(string? user, string? password, string logged)
    {
        await using var server = await OcppTestServer.StartAsync();
        using var client = server.CreateClient(user, password);

        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(server.Url(), CancellationToken.None).WaitAsync(TestTimeouts.Guard));

        Assert.Equal(HttpStatusCode.Unauthorized, client.HttpStatusCode);
        Assert.Contains(server.Logs.Entries, e => e.Message.Contains("(401)") && e.Message.Contains(logged));
        Assert.False(server.Server.States.Get(OcppTestServer.StationId)!.Connected);
    }

    [Fact]
    public async Task Unknown_station_gets_404()
    {
        await using var server = await OcppTestServer.StartAsync();
        using var client = server.CreateClient(user: "DE*BMW*OTHER");

        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(server.Url("DE*BMW*OTHER"), CancellationToken.None).WaitAsync(TestTimeouts.Guard));

        Assert.Equal(HttpStatusCode.NotFound, client.HttpStatusCode);
        Assert.Contains(server.Logs.Entries, e => e.Message.Contains("unknown station DE*BMW*OTHER refused (404)"));
    }

    [Fact]
    public async Task Without_the_ocpp201_subprotocol_the_handshake_completes_and_is_closed_with_policy_violation()
    {
        await using var server = await OcppTestServer.StartAsync();
        using var client = server.CreateClient(subProtocols: "ocpp1.6");
        await client.ConnectAsync(server.Url(), CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        await using var station = new TestStation(client);

        Assert.Null(client.SubProtocol);
        Assert.Null(await station.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.False(server.Server.States.Get(OcppTestServer.StationId)!.Connected);
    }

    [Fact]
    public async Task Permessage_deflate_is_negotiated_when_offered()
    {
        await using var server = await OcppTestServer.StartAsync();
        using var client = server.CreateClient();
        client.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        await client.ConnectAsync(server.Url(), CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        await using var station = new TestStation(client);

        Assert.Contains("permessage-deflate", client.HttpResponseHeaders!["Sec-WebSocket-Extensions"].Single());
        var answer = await station.CallAsync("Heartbeat", "{}");
        Assert.Equal(3, answer[0].GetInt32());
    }

    [Fact]
    public async Task Reconnect_of_the_same_station_replaces_and_closes_the_old_session()
    {
        await using var server = await OcppTestServer.StartAsync();
        using var watcher = new StateWatcher(server.Server.States);
        await using var first = await server.ConnectStationAsync();
        await watcher.NextAsync(WallboxEventKind.Connected);

        await using var second = await server.ConnectStationAsync();
        await watcher.NextAsync(WallboxEventKind.Connected);

        Assert.Null(await first.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, first.Socket.CloseStatus);
        await first.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        // The new session owns the station: it stays connected and answers.
        var answer = await second.CallAsync("Heartbeat", "{}");
        Assert.Equal(3, answer[0].GetInt32());
        Assert.True(server.Server.States.Get(OcppTestServer.StationId)!.Connected);
        Assert.DoesNotContain(WallboxEventKind.Disconnected, watcher.Drain());
    }

    [Fact]
    public async Task Disconnect_is_reported_in_the_state()
    {
        await using var server = await OcppTestServer.StartAsync();
        using var watcher = new StateWatcher(server.Server.States);
        var station = await server.ConnectStationAsync();
        await watcher.NextAsync(WallboxEventKind.Connected);

        await station.DisposeAsync();

        var disconnected = await watcher.NextAsync(WallboxEventKind.Disconnected);
        Assert.False(disconnected.State.Connected);
        Assert.NotNull(disconnected.State.DisconnectedAt);
    }

    [Fact]
    public async Task Malformed_frame_gets_a_CALLERROR_with_id_minus_one_and_the_session_goes_on()
    {
        await using var server = await OcppTestServer.StartAsync();
        await using var station = await server.ConnectStationAsync();

        await station.SendAsync("[2, \"abc\", \"Heartbeat\", {"); // broken JSON
        var error = await station.ReceiveAsync();

        Assert.StartsWith("[4,\"-1\",\"RpcFrameworkError\",", error);
        var answer = await station.CallAsync("Heartbeat", "{}");
        Assert.Equal(3, answer[0].GetInt32());
    }

    [Fact]
    public async Task Oversize_frame_is_refused_with_close_1009()
    {
        await using var server = await OcppTestServer.StartAsync(o => o with { MaxFrameBytes = 4096 });
        await using var station = await server.ConnectStationAsync();

        await station.SendAsync($"[2,\"big\",\"DataTransfer\",{{\"vendorId\":\"x\",\"data\":\"{new string('a', 10_000)}\"}}]");

        Assert.Null(await station.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, station.Socket.CloseStatus);
        Assert.Contains(server.Logs.Entries, e => e.Message.Contains("larger than 4096 bytes"));
    }

    [Fact]
    public async Task Plain_ws_is_served_only_when_allow_insecure()
    {
        await using var server = await OcppTestServer.StartAsync(o => o with { AllowInsecure = true });
        await using var station = await server.ConnectStationAsync();
        Assert.False(server.Server.IsSecure);
        Assert.Equal("ocpp2.0.1", station.Socket.SubProtocol);

        await using var secure = await OcppTestServer.StartAsync();
        using var plain = new ClientWebSocket();
        plain.Options.AddSubProtocol("ocpp2.0.1");
        await Assert.ThrowsAnyAsync<Exception>(() => plain.ConnectAsync(new Uri($"ws://127.0.0.1:{secure.Port}/x"), CancellationToken.None).WaitAsync(TestTimeouts.Guard));
    }
}

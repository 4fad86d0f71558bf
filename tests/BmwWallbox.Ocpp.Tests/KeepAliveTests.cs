using BmwWallbox.Core;
using BmwWallbox.Ocpp.Tests.Support;

namespace BmwWallbox.Ocpp.Tests;

public sealed class KeepAliveTests
{
    [Fact]
    public async Task A_peer_that_stops_answering_pings_is_dropped()
    {
        // Kestrel's ping timer runs on the real clock; the intervals are tiny so the test stays fast.
        await using var server = await OcppTestServer.StartAsync(o => o with { PingInterval = TimeSpan.FromMilliseconds(100), PingTimeout = TimeSpan.FromMilliseconds(200) });
        using var watcher = new StateWatcher(server.Server.States);
        // A ClientWebSocket only answers pings while it is receiving: never receiving makes it a silent, half-open peer.
        await using var station = await server.ConnectStationAsync();
        await watcher.NextAsync(WallboxEventKind.Connected);

        var disconnected = await watcher.NextAsync(WallboxEventKind.Disconnected);

        Assert.False(disconnected.State.Connected);
        Assert.Contains(server.Logs.Entries, e => e.Message.Contains("disconnected: connection lost"));
    }
}

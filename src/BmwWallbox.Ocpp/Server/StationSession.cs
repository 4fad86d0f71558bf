using System.Net.WebSockets;
using BmwWallbox.Ocpp.Rpc;

namespace BmwWallbox.Ocpp.Server;

/// <summary>One live WebSocket connection of a station.</summary>
internal sealed class StationSession(string stationId, string remote, RpcConnection connection, CancellationTokenSource lifetime)
{
    public string StationId { get; } = stationId;
    public string Remote { get; } = remote;
    public RpcConnection Connection { get; } = connection;

    /// <summary>Set when we closed the session (replaced, shutting down), for the disconnect log.</summary>
    public string? ClosedBecause { get; private set; }

    /// <summary>Closes politely; if the peer does not finish the close within <paramref name="grace"/> (half-open socket), the session is cut.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason, TimeSpan grace)
    {
        ClosedBecause = reason;
        try
        {
            lifetime.CancelAfter(grace);
            await Connection.CloseAsync(status, reason, lifetime.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The connection is already gone; ending it is all that was wanted.
        }
    }
}

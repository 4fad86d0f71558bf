using System.Net.WebSockets;

namespace BmwWallbox.Ocpp.Rpc;

/// <summary>
/// A bidirectional stream of text messages. The RPC layer only needs this, so it can be tested
/// over in-memory channels as well as run over a WebSocket.
/// </summary>
internal interface IMessageTransport
{
    /// <summary>The next text message, or null once the peer closed (or the transport closed itself, e.g. on an oversize frame).</summary>
    ValueTask<string?> ReceiveAsync(CancellationToken ct);

    /// <summary>Sends one text message. Callers must not send concurrently.</summary>
    ValueTask SendAsync(string message, CancellationToken ct);

    /// <summary>Starts a close from our side. Callers must not send concurrently.</summary>
    ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct);
}

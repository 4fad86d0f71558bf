using System.Net.WebSockets;

namespace BmwWallbox.Ocpp.Rpc;

/// <summary>
/// A bidirectional stream of text messages as UTF-8 bytes. The RPC layer only needs this, so it can
/// be tested over in-memory channels as well as run over a WebSocket.
/// </summary>
internal interface IMessageTransport
{
    /// <summary>
    /// The next text message, or null once the peer closed (or the transport closed itself, e.g. on an
    /// oversize frame). The bytes stay valid until the next call; the transport reuses their buffer.
    /// </summary>
    ValueTask<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken ct);

    /// <summary>Sends one text message; the bytes are only read until the returned task completes. Callers must not send concurrently.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken ct);

    /// <summary>Starts a close from our side. Callers must not send concurrently.</summary>
    ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct);
}

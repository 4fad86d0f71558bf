using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.Rpc;

/// <summary>
/// Text messages over a WebSocket. A message longer than the limit is refused by closing with
/// 1009 (MessageTooBig) instead of being buffered; binary messages are not OCPP-J and are skipped.
/// </summary>
internal sealed class WebSocketTransport(WebSocket socket, int maxMessageBytes, string stationId, ILogger logger) : IMessageTransport
{
    /// <summary>Heartbeat, StatusNotification and a TransactionEvent with a few meter values fit.</summary>
    internal const int InitialBufferBytes = 1024;

    /// <summary>The buffer of the frame last returned: the caller reads it until it asks for the next one.</summary>
    private byte[]? _lastFrame;

    // Pooled: an idle station's receive waits seconds, so a new state machine for each message lived long enough to
    // age, and was a quarter of what 10,000 idle stations allocated.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken ct)
    {
        if (_lastFrame is { } last)
        {
            _lastFrame = null;
            ArrayPool<byte>.Shared.Return(last);
        }

        // Sized for a typical OCPP frame and grown on demand: an idle station waits holding this buffer,
        // so 10,000 of them hold 10 MB rather than the 320 MB of 32 KB buffers.
        byte[]? buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxMessageBytes + 1, InitialBufferBytes));
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (length > maxMessageBytes) return await RefuseOversizeAsync(ct);
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxMessageBytes + 1));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
                    length += result.Count;
                } while (!result.EndOfMessage && length <= maxMessageBytes);

                if (length > maxMessageBytes) return await RefuseOversizeAsync(ct);

                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        if (socket.State == WebSocketState.CloseReceived)
                            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct);
                        logger.LogDebug("{StationId} closed the WebSocket: {CloseStatus} {CloseReason}", stationId, socket.CloseStatus, socket.CloseStatusDescription);
                        return null;
                    case WebSocketMessageType.Binary:
                        logger.LogWarning("{StationId} sent a binary message of {Bytes} bytes; OCPP-J is text only, skipped", stationId, length);
                        continue;
                    default:
                        // Handed out as it is: the caller parses the UTF-8 bytes, no string is made.
                        (_lastFrame, buffer) = (buffer, null);
                        return _lastFrame.AsMemory(0, length);
                }
            }
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken ct)
        => socket.SendAsync(message, WebSocketMessageType.Text, true, ct);

    public async ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            await socket.CloseOutputAsync(status, reason, ct);
    }

    private async Task<ReadOnlyMemory<byte>?> RefuseOversizeAsync(CancellationToken ct)
    {
        logger.LogWarning("{StationId} sent a message larger than {MaxBytes} bytes (ocpp.max_frame_bytes); closing with 1009", stationId, maxMessageBytes);
        await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, $"Message exceeds {maxMessageBytes} bytes", ct);
        return null;
    }
}

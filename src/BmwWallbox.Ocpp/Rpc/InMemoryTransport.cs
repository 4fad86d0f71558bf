using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace BmwWallbox.Ocpp.Rpc;

/// <summary>
/// A transport without a socket: frames from the station are written into <see cref="Deliver"/>,
/// frames we send go to <paramref name="toStation"/> in order. Used by <see cref="InProcessCsms"/>.
/// </summary>
internal sealed class InMemoryTransport(Func<string, CancellationToken, ValueTask> toStation) : IMessageTransport
{
    private readonly Channel<string> _incoming = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private byte[] _received = [];

    /// <summary>Queues a frame from the station; false once the transport is closed.</summary>
    public bool Deliver(string frame) => _incoming.Writer.TryWrite(frame);

    /// <summary>No more frames: the receive side ends once the queued ones are read (the station hung up).</summary>
    public void Complete() => _incoming.Writer.TryComplete();

    public async ValueTask<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken ct)
    {
        while (await _incoming.Reader.WaitToReadAsync(ct))
        {
            if (!_incoming.Reader.TryRead(out var frame)) continue;
            // One buffer, reused: a frame is only read until the next one is asked for.
            var length = Encoding.UTF8.GetMaxByteCount(frame.Length);
            if (_received.Length < length) _received = new byte[Math.Max(length, 2 * _received.Length)];
            return _received.AsMemory(0, Encoding.UTF8.GetBytes(frame, _received));
        }
        return null;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken ct) => toStation(Encoding.UTF8.GetString(message.Span), ct);

    public ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct)
    {
        Complete();
        return ValueTask.CompletedTask;
    }
}

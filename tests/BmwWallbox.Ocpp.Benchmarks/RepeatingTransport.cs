using System.Net.WebSockets;
using System.Text;
using BmwWallbox.Ocpp.Rpc;

namespace BmwWallbox.Ocpp.Benchmarks;

/// <summary>
/// Hands the connection the same CALL <paramref name="calls"/> times as UTF-8, each with the next
/// seqNo written into one reused buffer (as a WebSocket receive fills its buffer), and counts the replies.
/// </summary>
internal sealed class RepeatingTransport(string template, int calls) : IMessageTransport
{
    private readonly byte[][] _parts = [.. template.Split(Frames.SeqNo).Select(Encoding.UTF8.GetBytes)];
    private readonly byte[] _buffer = new byte[Encoding.UTF8.GetByteCount(template) + 64];
    private int _sent;

    public int Replies { get; private set; }
    public string? LastReply => _lastReply is null ? null : Encoding.UTF8.GetString(_lastReply);
    private byte[]? _lastReply;

    public ValueTask<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken ct)
    {
        if (_sent == calls) return ValueTask.FromResult<ReadOnlyMemory<byte>?>(null);
        var seq = ++_sent;
        var at = 0;
        for (var i = 0; i < _parts.Length; i++)
        {
            if (i > 0)
            {
                seq.TryFormat(_buffer.AsSpan(at), out var written);
                at += written;
            }
            _parts[i].CopyTo(_buffer.AsSpan(at));
            at += _parts[i].Length;
        }
        return ValueTask.FromResult<ReadOnlyMemory<byte>?>(_buffer.AsMemory(0, at));
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        Replies++;
        if (Replies == calls) _lastReply = message.ToArray();
        return ValueTask.CompletedTask;
    }

    public ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct) => ValueTask.CompletedTask;
}

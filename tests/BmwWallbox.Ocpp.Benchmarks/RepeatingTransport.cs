using System.Globalization;
using System.Net.WebSockets;
using BmwWallbox.Ocpp.Rpc;

namespace BmwWallbox.Ocpp.Benchmarks;

/// <summary>Hands the connection the same CALL <paramref name="calls"/> times, each with the next seqNo, and counts the replies.</summary>
internal sealed class RepeatingTransport(string template, int calls) : IMessageTransport
{
    private readonly string[] _parts = template.Split(Frames.SeqNo);
    private int _sent;

    public int Replies { get; private set; }
    public string? LastReply { get; private set; }

    public ValueTask<string?> ReceiveAsync(CancellationToken ct)
    {
        if (_sent == calls) return ValueTask.FromResult<string?>(null);
        var seq = ++_sent;
        // One string per frame, as a WebSocket transport that decodes UTF-8 to text makes.
        var digits = seq.ToString(CultureInfo.InvariantCulture).Length;
        var length = _parts.Sum(p => p.Length) + digits * (_parts.Length - 1);
        return ValueTask.FromResult<string?>(string.Create(length, (_parts, seq), static (span, state) =>
        {
            var at = 0;
            for (var i = 0; i < state._parts.Length; i++)
            {
                if (i > 0)
                {
                    state.seq.TryFormat(span[at..], out var written, default, CultureInfo.InvariantCulture);
                    at += written;
                }
                state._parts[i].CopyTo(span[at..]);
                at += state._parts[i].Length;
            }
        }));
    }

    public ValueTask SendAsync(string message, CancellationToken ct)
    {
        Replies++;
        LastReply = message;
        return ValueTask.CompletedTask;
    }

    public ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct) => ValueTask.CompletedTask;
}

using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using BmwWallbox.Ocpp.Rpc;

namespace BmwWallbox.Ocpp.Tests.Support;

/// <summary>One end of an in-memory duplex: what one end sends, the other receives.</summary>
internal sealed class ChannelTransport : IMessageTransport
{
    private readonly Channel<string> _inbox;
    private readonly Channel<string> _outbox;

    private ChannelTransport(Channel<string> inbox, Channel<string> outbox)
    {
        _inbox = inbox;
        _outbox = outbox;
    }

    public static (ChannelTransport Csms, ChannelTransport Station) CreatePair()
    {
        var toCsms = Channel.CreateUnbounded<string>();
        var toStation = Channel.CreateUnbounded<string>();
        return (new ChannelTransport(toCsms, toStation), new ChannelTransport(toStation, toCsms));
    }

    public async ValueTask<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken ct)
        => await ReceiveTextAsync(ct) is { } message ? Encoding.UTF8.GetBytes(message) : (ReadOnlyMemory<byte>?)null;

    public ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken ct) => SendAsync(Encoding.UTF8.GetString(message.Span), ct);

    /// <summary>Test side: sends a text frame.</summary>
    public ValueTask SendAsync(string message, CancellationToken ct)
    {
        if (!_outbox.Writer.TryWrite(message)) throw new WebSocketException("peer closed");
        return ValueTask.CompletedTask;
    }

    public ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct)
    {
        _outbox.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    /// <summary>Test side: the next message, failing the test after 10 s.</summary>
    public async Task<string> NextAsync() => await ReceiveTextAsync(CancellationToken.None).WaitAsync(TestTimeouts.Guard)
        ?? throw new InvalidOperationException("the other end closed");

    private async Task<string?> ReceiveTextAsync(CancellationToken ct)
        => await _inbox.Reader.WaitToReadAsync(ct) && _inbox.Reader.TryRead(out var message) ? message : null;

    /// <summary>Test side: true when nothing is waiting to be received right now.</summary>
    public bool IsIdle => !_inbox.Reader.TryPeek(out _);
}

using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace BmwWallbox.Ocpp.Tests.Support;

/// <summary>A hand-driven wallbox over a real WebSocket: sends raw frames, reads raw frames.</summary>
internal sealed class TestStation(ClientWebSocket socket) : IAsyncDisposable
{
    private int _nextId;

    public ClientWebSocket Socket { get; } = socket;

    public Task SendAsync(string text) => Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next text frame, or null when the server closed (10 s failure guard).</summary>
    public async Task<string?> ReceiveAsync()
    {
        using var guard = new CancellationTokenSource(TestTimeouts.Guard);
        var buffer = new byte[256 * 1024];
        var length = 0;
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer.AsMemory(length), guard.Token);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            length += result.Count;
            if (result.EndOfMessage) return Encoding.UTF8.GetString(buffer, 0, length);
        }
    }

    /// <summary>Sends a CALL and returns the parsed answer frame.</summary>
    public async Task<JsonElement> CallAsync(string action, string payloadJson)
    {
        var id = $"st-{++_nextId}";
        await SendAsync($"[2,\"{id}\",\"{action}\",{payloadJson}]");
        var answer = await ReceiveAsync() ?? throw new InvalidOperationException("closed instead of answering");
        var frame = JsonDocument.Parse(answer).RootElement;
        Assert.Equal(id, frame[1].GetString());
        return frame;
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "test done", guard.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
            }
        }
        Socket.Dispose();
    }
}

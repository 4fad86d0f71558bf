using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using BmwWallbox.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.TestKit.Ocpp;

/// <summary>
/// A tiny OCPP 2.0.1 CSMS on Kestrel (127.0.0.1, ephemeral port, TLS when given a certificate),
/// independent of the real server: it authenticates like bmw-rules (doctor's probe answered 204,
/// 404 for an unknown station, 401 for a wrong Basic password), echoes ocpp2.0.1, answers every
/// CALL of the station it accepted and can send CALLs to it. It records every request it got.
/// </summary>
public sealed class FakeCsmsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyDictionary<string, string>? _passwords;
    private readonly bool _answerProbe;
    private readonly bool _secure;
    private readonly ConcurrentQueue<SeenRequest> _requests = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _send = new(1, 1);
    private WebSocket? _socket;
    private TaskCompletionSource<JsonArray>? _pendingResult;
    private string? _pendingId;

    private FakeCsmsServer(X509Certificate2? certificate, IReadOnlyDictionary<string, string>? passwords, bool answerProbe)
    {
        _passwords = passwords;
        _answerProbe = answerProbe;
        _secure = certificate is not null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null) listen.UseHttps(certificate);
        }));
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Run(HandleAsync);
    }

    /// <param name="certificate">Null serves plain HTTP and ws://.</param>
    /// <param name="passwords">Station id → password; null lets every station in, with any credentials.</param>
    /// <param name="answerProbe">false plays some other OCPP server, which does not know doctor's probe.</param>
    public static async Task<FakeCsmsServer> StartAsync(X509Certificate2? certificate = null, IReadOnlyDictionary<string, string>? passwords = null, bool answerProbe = true)
    {
        var server = new FakeCsmsServer(certificate, passwords, answerProbe);
        await server._app.StartAsync();
        server.Port = new Uri(server._app.Urls.Single()).Port;
        return server;
    }

    public int Port { get; private set; }

    /// <summary>ws(s)://localhost:&lt;port&gt;/, where a station appends its id.</summary>
    public Uri BaseUri => new($"{(_secure ? "wss" : "ws")}://localhost:{Port}/");

    /// <summary>While false every upgrade gets HTTP 503 (lets a test hold the box offline).</summary>
    public volatile bool Accepting = true;

    /// <summary>Every request so far, in order of arrival.</summary>
    public IReadOnlyList<SeenRequest> Requests => [.. _requests];

    /// <summary>The same requests, to await the next one.</summary>
    public Channel<SeenRequest> Handshakes { get; } = Channel.CreateUnbounded<SeenRequest>();

    /// <summary>How each connection ended: the station's close description, or "(cut)" without a close frame.</summary>
    public Channel<string> Closes { get; } = Channel.CreateUnbounded<string>();

    /// <summary>CALLs from the station: (action, payload).</summary>
    public Channel<(string Action, JsonObject Payload)> Calls { get; } = Channel.CreateUnbounded<(string, JsonObject)>();

    /// <summary>Sends a CALL to the station and returns the whole reply frame ([3,...] or [4,...]).</summary>
    public async Task<JsonArray> CallAsync(string action, JsonObject payload, string? id = null)
    {
        id ??= Guid.NewGuid().ToString("N");
        var done = new TaskCompletionSource<JsonArray>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) { _pendingId = id; _pendingResult = done; }
        await SendAsync(new JsonArray(2, id, action, payload));
        return await done.Task.WaitAsync(TestTimeouts.Guard);
    }

    public Task SendAsync(JsonArray frame) => SendRawAsync(frame.ToJsonString());

    public async Task SendRawAsync(string text)
    {
        WebSocket socket;
        lock (_lock) socket = _socket ?? throw new InvalidOperationException("no station connected");
        await _send.WaitAsync();
        try { await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None); }
        finally { _send.Release(); }
    }

    /// <summary>Next CALL of this action from the station (others are skipped).</summary>
    public async Task<JsonObject> NextCallAsync(string action)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Guard);
        while (true)
        {
            var (a, payload) = await Calls.Reader.ReadAsync(timeout.Token);
            if (a == action) return payload;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var request = new SeenRequest(context.Request.Path.Value ?? "", context.Features.Get<IHttpRequestFeature>()!.RawTarget,
            authorization.Length == 0 ? null : authorization, context.Request.Headers.SecWebSocketProtocol.ToString(), context.WebSockets.IsWebSocketRequest);
        _requests.Enqueue(request);
        Handshakes.Writer.TryWrite(request);

        var id = Uri.UnescapeDataString(request.Path.TrimStart('/'));
        if (_answerProbe && id == ServerProbe.Path)
        {
            context.Response.Headers[ServerProbe.Header] = "ocpp";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (_passwords is not null && !_passwords.ContainsKey(id))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (_passwords is not null && authorization != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{_passwords[id]}")))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"ocpp\"";
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest) { context.Response.StatusCode = StatusCodes.Status400BadRequest; return; }
        if (!Accepting) { context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable; return; }
        var offered = context.WebSockets.WebSocketRequestedProtocols.Contains("ocpp2.0.1") ? "ocpp2.0.1" : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(offered);
        lock (_lock) _socket = socket;
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                if (read.MessageType == WebSocketMessageType.Close)
                {
                    Closes.Writer.TryWrite(socket.CloseStatusDescription ?? "");
                    break;
                }
                var count = read.Count;
                while (!read.EndOfMessage)
                {
                    read = await socket.ReceiveAsync(buffer.AsMemory(count), context.RequestAborted);
                    count += read.Count;
                }
                await OnFrameAsync(JsonNode.Parse(buffer.AsSpan(0, count))!.AsArray());
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            Closes.Writer.TryWrite("(cut)");
        }
        finally
        {
            lock (_lock) if (_socket == socket) _socket = null;
        }
    }

    private async Task OnFrameAsync(JsonArray frame)
    {
        var type = (int)frame[0]!;
        var id = (string)frame[1]!;
        if (type != 2)
        {
            TaskCompletionSource<JsonArray>? done = null;
            lock (_lock) if (_pendingId == id) { done = _pendingResult; _pendingId = null; }
            done?.TrySetResult(frame);
            return;
        }
        var action = (string)frame[2]!;
        var payload = frame[3]!.DeepClone().AsObject();
        Calls.Writer.TryWrite((action, payload));
        JsonObject answer = action switch
        {
            "BootNotification" => new JsonObject { ["currentTime"] = DateTimeOffset.UtcNow.ToString("O"), ["interval"] = 300, ["status"] = "Accepted" },
            "Heartbeat" => new JsonObject { ["currentTime"] = DateTimeOffset.UtcNow.ToString("O") },
            _ => [],
        };
        await SendAsync(new JsonArray(3, id, answer));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

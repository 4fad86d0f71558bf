using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.SimulatedBox.Tests;

/// <summary>A tiny CSMS on Kestrel (ephemeral loopback port): checks the handshake, answers CALLs, can send CALLs.</summary>
internal sealed class TestCsmsServer : IAsyncDisposable
{
    public sealed record Handshake(string RawTarget, string? SubProtocols, string? Authorization);

    private readonly WebApplication _app;
    private readonly object _lock = new();
    private WebSocket? _socket;
    private TaskCompletionSource<JsonArray>? _pendingResult;
    private string? _pendingId;
    private readonly SemaphoreSlim _send = new(1, 1);

    private TestCsmsServer(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;
    /// <summary>Expected "Basic ..." header; connections with another one get HTTP 401.</summary>
    public string? ExpectedAuthorization { get; set; }
    /// <summary>While false every upgrade gets HTTP 503 (lets a test hold the box offline).</summary>
    public volatile bool Accepting = true;
    public Channel<Handshake> Handshakes { get; } = Channel.CreateUnbounded<Handshake>();
    /// <summary>How each connection ended: the box's close description, or "(cut)" without a close frame.</summary>
    public Channel<string> Closes { get; } = Channel.CreateUnbounded<string>();
    /// <summary>CALLs from the box: (action, payload).</summary>
    public Channel<(string Action, JsonObject Payload)> Calls { get; } = Channel.CreateUnbounded<(string, JsonObject)>();

    public static async Task<TestCsmsServer> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null) listen.UseHttps(certificate);
        }));
        var app = builder.Build();
        var server = new TestCsmsServer(app);
        app.UseWebSockets();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        server.BaseUri = new Uri($"{(certificate is null ? "ws" : "wss")}://localhost:{address.Port}/");
        return server;
    }

    public static X509Certificate2 SelfSignedLocalhost()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    public static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    /// <summary>Sends a CALL to the box and returns the whole reply frame ([3,...] or [4,...]).</summary>
    public async Task<JsonArray> CallAsync(string action, JsonObject payload, string? id = null)
    {
        id ??= Guid.NewGuid().ToString("N");
        var done = new TaskCompletionSource<JsonArray>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) { _pendingId = id; _pendingResult = done; }
        await SendAsync(new JsonArray(2, id, action, payload));
        return await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public Task SendAsync(JsonArray frame) => SendRawAsync(frame.ToJsonString());

    public async Task SendRawAsync(string text)
    {
        WebSocket socket;
        lock (_lock) socket = _socket ?? throw new InvalidOperationException("no box connected");
        await _send.WaitAsync();
        try { await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None); }
        finally { _send.Release(); }
    }

    /// <summary>Next CALL of this action from the box (others are skipped).</summary>
    public async Task<JsonObject> NextCallAsync(string action)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var (a, payload) = await Calls.Reader.ReadAsync(timeout.Token);
            if (a == action) return payload;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var handshake = new Handshake(context.Features.Get<IHttpRequestFeature>()!.RawTarget,
            context.Request.Headers.SecWebSocketProtocol.ToString(), context.Request.Headers.Authorization.ToString());
        Handshakes.Writer.TryWrite(handshake);
        if (!context.WebSockets.IsWebSocketRequest) { context.Response.StatusCode = 400; return; }
        if (!Accepting) { context.Response.StatusCode = 503; return; }
        if (ExpectedAuthorization is not null && handshake.Authorization != ExpectedAuthorization) { context.Response.StatusCode = 401; return; }
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

using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BmwWallbox.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Doctor.Tests;

/// <summary>
/// A tiny Kestrel WebSocket server that authenticates like the real OCPP server: doctor's probe
/// answered 204, 404 for an unknown station, 401 for a wrong Basic password, echoes ocpp2.0.1. Records every request it got (before
/// answering it).
/// </summary>
internal sealed class TestOcppServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SeenRequest> _requests = new();

    private TestOcppServer(X509Certificate2? certificate, IReadOnlyDictionary<string, string> passwords, bool answerProbe)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null) listen.UseHttps(certificate);
        }));
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Run(ctx => HandleAsync(ctx, passwords, answerProbe));
    }

    public int Port { get; private set; }

    /// <param name="certificate">Null serves plain HTTP (to provoke a TLS failure).</param>
    /// <param name="answerProbe">false plays some other OCPP server, which does not know doctor's probe.</param>
    public static async Task<TestOcppServer> StartAsync(X509Certificate2? certificate, IReadOnlyDictionary<string, string> passwords, bool answerProbe = true)
    {
        var server = new TestOcppServer(certificate, passwords, answerProbe);
        await server._app.StartAsync();
        server.Port = new Uri(server._app.Urls.Single()).Port;
        return server;
    }

    /// <summary>Every request so far, in order of arrival.</summary>
    public IReadOnlyList<SeenRequest> Requests => [.. _requests];

    private async Task HandleAsync(HttpContext ctx, IReadOnlyDictionary<string, string> passwords, bool answerProbe)
    {
        var authorization = ctx.Request.Headers.Authorization.ToString();
        _requests.Enqueue(new SeenRequest(ctx.Request.Path.Value ?? "", authorization.Length == 0 ? null : authorization, ctx.WebSockets.IsWebSocketRequest));
        var id = Uri.UnescapeDataString(ctx.Request.Path.Value!.TrimStart('/'));
        if (answerProbe && id == ServerProbe.Path)
        {
            ctx.Response.Headers[ServerProbe.Header] = "ocpp";
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (!passwords.TryGetValue(id, out var password))
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{password}"));
        if (ctx.Request.Headers.Authorization.ToString() != expected)
        {
            ctx.Response.Headers.WWWAuthenticate = "Basic realm=\"ocpp\"";
            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var subprotocol = ctx.WebSockets.WebSocketRequestedProtocols.Contains("ocpp2.0.1") ? "ocpp2.0.1" : null;
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync(subprotocol);
        try
        {
            var buffer = new byte[1024];
            WebSocketReceiveResult received;
            do received = await ws.ReceiveAsync(buffer, ctx.RequestAborted);
            while (received.MessageType != WebSocketMessageType.Close);
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ctx.RequestAborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A request as the server saw it: its path, its Authorization header (null = none) and whether it asked for a WebSocket.</summary>
internal sealed record SeenRequest(string Path, string? Authorization, bool WebSocketUpgrade);

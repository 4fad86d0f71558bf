using BmwWallbox.Core;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using BmwWallbox.Ocpp.Tests.Support;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>What an unauthenticated client on the network can hold or try: bounded connections, handshakes and logins.</summary>
public sealed class ClientLimitTests
{
    private readonly ManualClock _time = new(DateTimeOffset.Parse("2026-06-01T12:00:00Z"));

    [Fact]
    public async Task Repeated_failed_logins_get_429_until_they_age_out_and_are_logged_once_per_minute()
    {
        await using var server = await OcppTestServer.StartAsync(o => o with { MaxFailedLogins = 3, FailedLoginWindow = TimeSpan.FromMinutes(1) }, _time);

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await TryConnectAsync(server, "wrong-password-0000000")).Status);
        var paused = await TryConnectAsync(server, OcppTestServer.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, paused.Status);
        Assert.Equal("60", paused.RetryAfter);
        var warning = Assert.Single(server.Logs.AtLeast(LogLevel.Warning)); // four refusals, one line so far
        Assert.Contains("refused (401)", warning.Message);

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Contains(server.Logs.AtLeast(LogLevel.Warning), e => e.Message == "3 failed logins from 127.0.0.1 in the last 60 s");
        var after = await TryConnectAsync(server, OcppTestServer.Password);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, after.Status);
    }

    [Fact]
    public async Task Connections_are_capped_per_address_and_in_total()
    {
        await using var server = await OcppTestServer.StartAsync(o => o with { MaxConnectionsPerAddress = 2, MaxConnections = 3 }, _time);
        var open = new List<IDisposable>();
        try
        {
            open.Add(await HandshakeAsync(server, "127.0.0.2") ?? throw new InvalidOperationException("first connection refused"));
            open.Add(await HandshakeAsync(server, "127.0.0.2") ?? throw new InvalidOperationException("second connection refused"));

            Assert.Null(await HandshakeAsync(server, "127.0.0.2"));
            open.Add(await HandshakeAsync(server, "127.0.0.3") ?? throw new InvalidOperationException("another address refused"));
            Assert.Null(await HandshakeAsync(server, "127.0.0.4"));

            Assert.Contains(server.Logs.Entries, e => e.Message == "Connection from 127.0.0.2 refused: 2 connections open from this address (ocpp.max_connections_per_address)");
            Assert.Contains(server.Logs.Entries, e => e.Message == "Connection from 127.0.0.4 refused: 3 connections open (ocpp.max_connections)");
        }
        finally
        {
            foreach (var connection in open) connection.Dispose();
        }

        // Closed connections give their slots back: the station gets in again.
        using var guard = new CancellationTokenSource(TestTimeouts.Guard);
        while ((await TryConnectAsync(server, OcppTestServer.Password)).Status != HttpStatusCode.SwitchingProtocols)
            guard.Token.ThrowIfCancellationRequested();
    }

    /// <summary>Real time: these are Kestrel's timeouts (ocpp.handshake_timeout), which run on the system clock like the WebSocket ping.</summary>
    [Fact]
    public async Task Sockets_that_do_not_finish_the_upgrade_are_closed_after_the_handshake_timeout_a_session_is_not()
    {
        await using var server = await OcppTestServer.StartAsync(o => o with { HandshakeTimeout = TimeSpan.FromSeconds(1) });
        await using var station = await server.ConnectStationAsync();
        using var afterTls = await HandshakeAsync(server, "127.0.0.2") ?? throw new InvalidOperationException("refused");
        using var silent = new TcpClient(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 0));
        await silent.ConnectAsync(IPAddress.Loopback, server.Port);

        using var guard = new CancellationTokenSource(TestTimeouts.Guard);
        Assert.Equal(0, await ReadOrZeroAsync(afterTls.Stream, guard.Token));
        Assert.Equal(0, await ReadOrZeroAsync(silent.GetStream(), guard.Token));
        var heartbeat = await station.CallAsync("Heartbeat", "{}");
        Assert.Equal(3, heartbeat[0].GetInt32());
    }

    private static async Task<(HttpStatusCode Status, string? RetryAfter)> TryConnectAsync(OcppTestServer server, string password)
    {
        var client = server.CreateClient(password: password);
        try
        {
            await client.ConnectAsync(server.Url(), CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        }
        catch (WebSocketException)
        {
        }
        var retryAfter = client.HttpResponseHeaders?.TryGetValue("Retry-After", out var values) == true ? values.FirstOrDefault() : null;
        var status = client.HttpStatusCode;
        await new TestStation(client).DisposeAsync(); // a session that got in is closed politely
        return (status, retryAfter);
    }

    /// <summary>A TLS connection from <paramref name="localAddress"/> that sends nothing more; null when the server refused it.</summary>
    private static async Task<OpenTls?> HandshakeAsync(OcppTestServer server, string localAddress)
    {
        var tcp = new TcpClient(new IPEndPoint(IPAddress.Parse(localAddress), 0));
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
            var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }).WaitAsync(TestTimeouts.Guard);
            return new OpenTls(tcp, tls);
        }
        catch (Exception e) when (e is IOException or AuthenticationException or SocketException)
        {
            tcp.Dispose();
            return null;
        }
    }

    private static async Task<int> ReadOrZeroAsync(Stream stream, CancellationToken ct)
    {
        try
        {
            return await stream.ReadAsync(new byte[1], ct);
        }
        catch (IOException)
        {
            return 0; // reset instead of closed: gone all the same
        }
    }

    private sealed class OpenTls(TcpClient tcp, SslStream stream) : IDisposable
    {
        public SslStream Stream { get; } = stream;

        public void Dispose()
        {
            Stream.Dispose();
            tcp.Dispose();
        }
    }
}

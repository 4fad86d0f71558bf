using System.Collections.Concurrent;
using System.Net.WebSockets;
using BmwWallbox.Core;
using BmwWallbox.Ocpp.Rpc;
using BmwWallbox.Ocpp.State;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// The <c>/&lt;stationId&gt;</c> WebSocket endpoint: refuses unknown stations (404) and bad
/// credentials (401), negotiates ocpp2.0.1, and runs one session per station, a reconnect
/// replacing the previous one.
/// </summary>
internal sealed class StationEndpoint : IDisposable
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, StationSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StationOptions> _stations;
    private readonly OcppOptions _options;
    private readonly WallboxStateStore _states;
    private readonly StationCallHandler _callHandler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILogger _rpcLogger;
    private readonly CancellationToken _stopping;
    private readonly LoginThrottle _throttle;
    private readonly RateLimitedLog _failedLogins;
    private readonly StationApprovals? _approvals;
    private readonly PendingStationHandler? _pendingHandler;
    private readonly ConcurrentDictionary<string, StationSession> _pendingSessions = new(StringComparer.Ordinal);

    /// <param name="approvals">Where unknown stations wait for approval; null: they get 404 (ocpp.accept_unknown: reject).</param>
    public StationEndpoint(OcppOptions options, WallboxStateStore states, StationCallHandler callHandler,
        TimeProvider time, ILoggerFactory loggerFactory, CancellationToken stopping, StationApprovals? approvals = null)
    {
        _approvals = approvals;
        if (approvals is not null) _pendingHandler = new PendingStationHandler(approvals, options, time, loggerFactory.CreateLogger<OcppServer>());
        _throttle = new LoginThrottle(options.MaxFailedLogins, options.FailedLoginWindow, time);
        _stations = options.Stations.ToDictionary(s => s.Id, StringComparer.Ordinal);
        _options = options;
        _states = states;
        _callHandler = callHandler;
        _time = time;
        _logger = loggerFactory.CreateLogger<OcppServer>();
        _rpcLogger = loggerFactory.CreateLogger<RpcConnection>();
        _stopping = stopping;
        _failedLogins = new RateLimitedLog(_logger, time, TimeSpan.FromMinutes(1), "failed logins");
    }

    public void Dispose() => _failedLogins.Dispose();

    public RpcConnection? ConnectionOf(string stationId) => _sessions.TryGetValue(stationId, out var session) ? session.Connection : null;

    public Task CloseAllAsync(WebSocketCloseStatus status, string reason)
        => Task.WhenAll(_sessions.Values.Concat(_pendingSessions.Values).Select(s => s.CloseAsync(status, reason, CloseGrace)));

    /// <summary>The ids of the unknown stations connected now and waiting for approval.</summary>
    public IReadOnlyCollection<string> PendingConnected => _pendingSessions.Keys.ToList();

    /// <summary>
    /// The WebSocket handshake (or doctor's probe, answered quietly): not paused for failed logins (else 429), station known (else 404),
    /// Basic auth (else 401), then the ocpp2.0.1 subprotocol. Failures are logged at a bounded rate.
    /// </summary>
    public async Task AcceptAsync(HttpContext http)
    {
        var address = ConnectionLimiter.AddressOf(http.Connection.RemoteIpAddress);
        var remote = $"{http.Connection.RemoteIpAddress}:{http.Connection.RemotePort}";
        var path = (http.Request.Path.Value ?? "").TrimEnd('/');
        var stationId = path[(path.LastIndexOf('/') + 1)..]; // Kestrel has percent-decoded it already

        if (stationId == ServerProbe.Path && !http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            http.Response.Headers[ServerProbe.Header] = "ocpp";
            return;
        }

        if (_throttle.RetryAfter(address) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            _failedLogins.Report(address, log => log.LogWarning("Logins from {Address} paused for {Seconds} s after {MaxFailedLogins} failed logins (429)",
                address, seconds, _options.MaxFailedLogins));
            Refuse(http, StatusCodes.Status429TooManyRequests);
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return;
        }

        if (!_stations.TryGetValue(stationId, out var station) && _approvals is not null
            && (_options.GroupOf(stationId) is not null || _options.AcceptUnknown == UnknownStationPolicy.Pending))
        {
            await AcceptUnknownAsync(http, stationId, address, remote, _options.GroupOf(stationId));
            return;
        }
        if (station is null)
        {
            _throttle.Failed(address);
            _failedLogins.Report(address, log => log.LogWarning("Connection from {Remote} for unknown station {StationId} refused (404); configured: {Stations}",
                remote, stationId, string.Join(", ", _stations.Keys)));
            Refuse(http, StatusCodes.Status404NotFound);
            return;
        }

        var auth = BasicAuth.Check(http.Request.Headers.Authorization, station);
        if (auth != BasicAuthResult.Accepted)
        {
            _throttle.Failed(address);
            _failedLogins.Report(address, log => log.LogWarning("{StationId} from {Remote} refused (401): {AuthProblem}", stationId, remote, auth switch
            {
                BasicAuthResult.Missing => "no Basic credentials sent (set the password in the wallbox)",
                BasicAuthResult.WrongUserName => "user name is not the station id",
                BasicAuthResult.WrongPassword => "wrong password (ocpp.stations[].password)",
                _ => "malformed Authorization header",
            }));
            Refuse(http, StatusCodes.Status401Unauthorized);
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"OCPP\"";
            return;
        }
        _throttle.Succeeded(address);

        if (!http.WebSockets.IsWebSocketRequest)
        {
            _logger.LogWarning("{StationId} from {Remote} sent a plain HTTP request, not a WebSocket upgrade (400)", stationId, remote);
            Refuse(http, StatusCodes.Status400BadRequest);
            return;
        }

        var offered = http.WebSockets.WebSocketRequestedProtocols;
        var speaksOcpp201 = offered.Contains(OcppServer.SubProtocol, StringComparer.Ordinal);
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = speaksOcpp201 ? OcppServer.SubProtocol : null,
            DangerousEnableCompression = true, // permessage-deflate (RFC 7692) when the station offers it
            KeepAliveInterval = _options.PingInterval,
            KeepAliveTimeout = PongTimeout,
        });

        if (!speaksOcpp201)
        {
            _logger.LogWarning("{StationId} from {Remote} offered subprotocol(s) [{Offered}], not {SubProtocol}; closing (1008)",
                stationId, remote, string.Join(", ", offered), OcppServer.SubProtocol);
            using var grace = new CancellationTokenSource(CloseGrace, _time);
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, $"Subprotocol {OcppServer.SubProtocol} required", grace.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
            }
            return;
        }

        await RunSessionAsync(station, socket, remote, http.RequestAborted);
    }

    /// <summary>
    /// A station that is not configured: ocpp.accept_unknown: pending, or a member of station group <paramref name="group"/>.
    /// The id must be the Basic user name and the password a valid one; the first password an id presents is the one it
    /// keeps (<see cref="StationApprovals.Admit"/>), a group's member presents the group's (and is approved by it). Then the
    /// WebSocket is accepted and only its BootNotification is answered, Pending, until the daemon serves it.
    /// </summary>
    private async Task AcceptUnknownAsync(HttpContext http, string stationId, System.Net.IPAddress address, string remote, StationGroupOptions? group)
    {
        var (read, user, password) = BasicAuth.Read(http.Request.Headers.Authorization);
        var problem = read switch
        {
            BasicAuthResult.Missing => "no Basic credentials sent (set the password in the wallbox)",
            BasicAuthResult.Malformed => "malformed Authorization header",
            _ when user != stationId => "user name is not the station id",
            _ when !OcppOptions.IsValidStationId(stationId) => "the station id is not a valid OCPP id",
            _ when group is not null && BasicAuth.Check(http.Request.Headers.Authorization, new StationOptions { Id = stationId, Password = group.Password }) != BasicAuthResult.Accepted
                => $"not the password of station group '{group.Prefix}' (ocpp.station_groups)",
            _ when !OcppOptions.IsValidPassword(password) => "the password does not have 16–40 characters",
            _ => null,
        };
        Admission admission;
        try
        {
            var now = _time.GetUtcNow();
            admission = problem is not null ? Admission.WrongPassword
                : group is not null ? _approvals!.AdmitToGroup(stationId, group, address.ToString(), now)
                : _approvals!.Admit(stationId, password, address.ToString(), now);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            _logger.LogError("Unknown station {StationId} from {Remote} not let in (503): {Problem}", stationId, remote, e.Message);
            Refuse(http, StatusCodes.Status503ServiceUnavailable);
            return;
        }
        if (admission is Admission.Rejected or Admission.Full)
        {
            _throttle.Failed(address);
            _failedLogins.Report(address, log => log.LogWarning("Connection from {Remote} for unknown station {StationId} refused (404): {Why}", remote, stationId,
                admission == Admission.Rejected ? "it was rejected"
                : group is not null ? $"station group '{group.Prefix}' has max_stations ({group.MaxStations}) members already"
                : $"ocpp.max_pending ({_options.MaxPending}) stations already wait for approval"));
            Refuse(http, StatusCodes.Status404NotFound);
            return;
        }
        if (admission == Admission.WrongPassword)
        {
            _throttle.Failed(address);
            _failedLogins.Report(address, log => log.LogWarning("Unknown station {StationId} from {Remote} refused (401): {AuthProblem}",
                stationId, remote, problem ?? "not the password it presented first (data_dir/stations.json)"));
            Refuse(http, StatusCodes.Status401Unauthorized);
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"OCPP\"";
            return;
        }
        _throttle.Succeeded(address);
        if (admission == Admission.Approved && group is not null)
            _logger.LogInformation("{StationId} logged in with the password of station group '{Prefix}': served once bmw-rules run has reloaded its stations (until then it stays Pending)", stationId, group.Prefix);
        else if (admission == Admission.Approved)
            _logger.LogWarning("{StationId} is approved but not served yet: it is once bmw-rules run has reloaded its stations (until then it stays Pending)", stationId);
        if (!http.WebSockets.IsWebSocketRequest || !http.WebSockets.WebSocketRequestedProtocols.Contains(OcppServer.SubProtocol, StringComparer.Ordinal))
        {
            Refuse(http, StatusCodes.Status400BadRequest);
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = OcppServer.SubProtocol,
            KeepAliveInterval = _options.PingInterval,
            KeepAliveTimeout = PongTimeout,
        });
        using var lifetime = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var onStop = _stopping.Register(lifetime.Cancel);
        using var onAbort = http.RequestAborted.Register(lifetime.Cancel);
        var (session, replaced) = Register(_pendingSessions, stationId, remote, socket, lifetime,
            (action, payload, _) => _pendingHandler!.HandleAsync(stationId, action, payload));
        if (replaced is not null) _ = replaced.CloseAsync(WebSocketCloseStatus.NormalClosure, "Replaced by a new connection", CloseGrace);
        _logger.LogInformation("Unknown station {StationId} connected from {Remote}: waiting for approval", stationId, remote);
        try
        {
            await session.Connection.RunAsync(lifetime.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
        }
        finally
        {
            _pendingSessions.TryRemove(KeyValuePair.Create(stationId, session));
            _logger.LogInformation("Unknown station {StationId} disconnected", stationId);
        }
        await FinishCloseAsync(socket);
    }

    /// <summary>Closes the connection of a pending station (rejected or forgotten by a person).</summary>
    public Task ClosePendingAsync(string stationId, string reason)
        => _pendingSessions.TryGetValue(stationId, out var session) ? session.CloseAsync(WebSocketCloseStatus.PolicyViolation, reason, CloseGrace) : Task.CompletedTask;

    /// <summary>Answers and closes the connection: each further try costs a new connection (and TLS handshake).</summary>
    private static void Refuse(HttpContext http, int status)
    {
        http.Response.StatusCode = status;
        http.Response.Headers.Connection = "close";
    }

    private async Task RunSessionAsync(StationOptions station, WebSocket socket, string remote, CancellationToken requestAborted)
    {
        var stationId = station.Id;
        // Not a linked source: its CancelAfter (the close grace) must run on the injected clock.
        using var lifetime = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var onStop = _stopping.Register(lifetime.Cancel);
        using var onAbort = requestAborted.Register(lifetime.Cancel);
        var (session, replaced) = Register(_sessions, stationId, remote, socket, lifetime,
            (action, payload, _) => _callHandler.HandleAsync(stationId, action, payload));
        _states.Update(stationId, (t, now) => StateReducer.Connected(t, session, now), fromBox: false);
        _logger.LogInformation("{StationId} connected from {Remote}", stationId, remote);
        if (replaced is not null)
        {
            _logger.LogInformation("{StationId} reconnected: closing its previous connection from {PreviousRemote}", stationId, replaced.Remote);
            _ = replaced.CloseAsync(WebSocketCloseStatus.NormalClosure, "Replaced by a new connection", CloseGrace);
        }

        var reason = "connection closed";
        try
        {
            await session.Connection.RunAsync(lifetime.Token);
            if (session.ClosedBecause is { } because) reason = because;
            else if (socket.CloseStatus is { } status) reason = $"closed by the station ({(int)status} {socket.CloseStatusDescription})";
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            reason = _stopping.IsCancellationRequested ? "server stopping"
                : session.ClosedBecause is { } because ? because
                : e is OperationCanceledException ? "connection lost (no pong to our ping in time, or the network dropped)"
                : $"connection lost ({e.Message})";
        }
        finally
        {
            _sessions.TryRemove(KeyValuePair.Create(stationId, session));
            // Logged before the state changes: whoever reacts to the disconnect finds its reason in the log already.
            _logger.LogInformation("{StationId} disconnected: {Reason}", stationId, reason);
            _states.Update(stationId, (t, now) => StateReducer.Disconnected(t, session, now), fromBox: false);
        }

        await FinishCloseAsync(socket);
    }

    /// <summary>A station's RPC session on its socket, entered in <paramref name="sessions"/> under its id, and the session it replaced there.</summary>
    private (StationSession Session, StationSession? Replaced) Register(ConcurrentDictionary<string, StationSession> sessions, string stationId, string remote,
        WebSocket socket, CancellationTokenSource lifetime, RpcCallHandler handler)
    {
        var transport = new WebSocketTransport(socket, _options.MaxFrameBytes, stationId, _logger);
        var session = new StationSession(stationId, remote, new RpcConnection(stationId, transport, handler, _options.CommandTimeout, _time, _rpcLogger), lifetime);
        StationSession? replaced = null;
        sessions.AddOrUpdate(stationId, session, (_, old) =>
        {
            replaced = old;
            return session;
        });
        return (session, replaced);
    }

    /// <summary>No pong in time: the half-open connection is dropped. Zero switches pings (or the timeout) off.</summary>
    private TimeSpan PongTimeout => _options.PingInterval > TimeSpan.Zero && _options.PingTimeout > TimeSpan.Zero ? _options.PingTimeout : Timeout.InfiniteTimeSpan;

    /// <summary>After we sent a close (oversize frame, replacement), wait briefly for the peer's, so our close frame is not lost to a reset.</summary>
    private async Task FinishCloseAsync(WebSocket socket)
    {
        if (socket.State != WebSocketState.CloseSent) return;
        using var grace = new CancellationTokenSource(CloseGrace, _time);
        var buffer = new byte[4096];
        try
        {
            while (socket.State == WebSocketState.CloseSent)
            {
                if ((await socket.ReceiveAsync(buffer, grace.Token)).MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }
}

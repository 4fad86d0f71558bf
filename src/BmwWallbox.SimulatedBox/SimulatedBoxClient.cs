using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// Connects a <see cref="SimulatedWallbox"/> to its CSMS over WebSocket like the real box:
/// <c>wss://host:port/&lt;station id&gt;</c>, subprotocol ocpp2.0.1, HTTP Basic auth (user = station id),
/// reconnect with back-off after drops and reboots. Observe it through the wallbox's events.
/// </summary>
public sealed class SimulatedBoxClient : IAsyncDisposable
{
    public const string SubProtocol = "ocpp2.0.1";

    private readonly SimulatedWallbox _wallbox;
    private readonly SimulatedBoxClientOptions _options;
    private readonly ILogger _log;
    private readonly object _lock = new();
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private SocketSession? _session;
    private int _connectCount;
    private Exception? _lastConnectError;

    public SimulatedBoxClient(SimulatedWallbox wallbox, SimulatedBoxClientOptions options, ILogger<SimulatedBoxClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(wallbox);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _wallbox = wallbox;
        _options = options;
        _log = (ILogger?)logger ?? NullLogger.Instance;
        StationUri = BuildStationUri(options.ServerUri, wallbox.StationId);
    }

    public SimulatedWallbox Wallbox => _wallbox;

    /// <summary>The URL the box dials: base URL + percent-encoded station id.</summary>
    public Uri StationUri { get; }

    public bool IsConnected { get { lock (_lock) return _session is not null; } }

    /// <summary>Successful WebSocket connections so far.</summary>
    public int ConnectCount { get { lock (_lock) return _connectCount; } }

    /// <summary>Why the last connection attempt failed (TLS, 401, refused...), if it did.</summary>
    public Exception? LastConnectError { get { lock (_lock) return _lastConnectError; } }

    /// <summary>Starts the connect/reconnect loop in the background and returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_loop is not null) throw new InvalidOperationException("The client is already started.");
            _stop = new CancellationTokenSource();
            _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    /// <summary>Closes the connection and stops reconnecting.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task? loop;
        lock (_lock)
        {
            loop = _loop;
            _stop?.Cancel();
            _session?.Close("client stopped");
        }
        if (loop is not null) await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Simulates a network failure: the socket is aborted; the loop reconnects after back-off.</summary>
    public Task DropConnectionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SocketSession? session;
        lock (_lock) session = _session;
        session?.Abort("network drop (test)");
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        lock (_lock) _stop?.Dispose();
    }

    internal static Uri BuildStationUri(Uri serverUri, string stationId)
    {
        var text = serverUri.AbsoluteUri;
        return new Uri(text.EndsWith('/') ? text + Uri.EscapeDataString(stationId) : text + "/" + Uri.EscapeDataString(stationId));
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await _wallbox.WaitUntilCanConnectAsync(stop).ConfigureAwait(false);
                var socket = CreateSocket();
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    timeout.CancelAfter(_options.ConnectTimeout);
                    await socket.ConnectAsync(StationUri, timeout.Token).ConfigureAwait(false);
                    if (socket.SubProtocol != SubProtocol)
                        throw new WebSocketException($"the server did not accept subprotocol {SubProtocol}");
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    socket.Dispose();
                    lock (_lock) _lastConnectError = e;
                    var reason = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
                    _log.LogWarning("Station {StationId}: connecting to {Uri} failed: {Error}", _wallbox.StationId, StationUri, reason);
                    _wallbox.RecordConnectFailed(reason);
                    if (!_options.AutoReconnect) return;
                    await Task.Delay(_wallbox.Backoff(attempt++), _wallbox.TimeProvider, stop).ConfigureAwait(false);
                    continue;
                }

                attempt = 0;
                await RunSessionAsync(socket, stop).ConfigureAwait(false);
                if (stop.IsCancellationRequested || !_options.AutoReconnect) return;
                await Task.Delay(_wallbox.Backoff(0), _wallbox.TimeProvider, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        catch (Exception e)
        {
            _log.LogError(e, "Station {StationId}: client loop failed", _wallbox.StationId);
        }
    }

    private async Task RunSessionAsync(ClientWebSocket socket, CancellationToken stop)
    {
        var session = new SocketSession(socket, _wallbox, _options, _wallbox.TimeProvider, _log);
        lock (_lock)
        {
            _session = session;
            _connectCount++;
        }
        _log.LogInformation("Station {StationId}: connected to {Uri}", _wallbox.StationId, StationUri);
        try
        {
            try { _wallbox.Connect(session); }
            catch (InvalidOperationException e)
            {
                session.Close(e.Message);
            }
            await session.RunAsync(stop).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock) _session = null;
            _wallbox.Disconnect(session, session.CloseReason);
            socket.Dispose();
        }
    }

    private ClientWebSocket CreateSocket()
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(SubProtocol);
        socket.Options.KeepAliveInterval = _options.KeepAliveInterval;
        if (_options.Password is not null)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_wallbox.StationId}:{_options.Password}"));
            socket.Options.SetRequestHeader("Authorization", $"Basic {credentials}");
        }
        if (_options.AcceptAnyServerCertificate)
            socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        return socket;
    }
}

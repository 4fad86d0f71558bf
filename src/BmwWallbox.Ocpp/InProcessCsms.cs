using BmwWallbox.Core;
using BmwWallbox.Ocpp.Rpc;
using BmwWallbox.Ocpp.Server;
using BmwWallbox.Ocpp.State;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp;

/// <summary>
/// The CSMS without a network, for stations that run in the same process (<c>bmw-rules simulate</c>):
/// the same RPC layer (one outstanding call, timeouts), message handling, schema validation, state
/// tracking and typed commands as <see cref="OcppServer"/>; only the WebSocket is replaced by
/// OCPP-J text frames passed in memory. A station opens a session with <see cref="Connect"/>.
/// </summary>
public sealed class InProcessCsms : ICsms
{
    private readonly OcppOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILogger _rpcLogger;
    private readonly WallboxStateStore _states;
    private readonly StationCallHandler _callHandler;
    private readonly OcppCommands _commands;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, InProcessSession> _sessions = new(StringComparer.Ordinal);

    public InProcessCsms(OcppOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _options = options;
        _time = time;
        _logger = loggerFactory.CreateLogger<InProcessCsms>();
        _rpcLogger = loggerFactory.CreateLogger<RpcConnection>();
        // Inline: simulate moves its virtual clock only once everything has reacted to each step.
        _states = new WallboxStateStore(options.Stations, time, loggerFactory.CreateLogger<WallboxStateStore>(), WallboxEventDelivery.Inline);
        _callHandler = new StationCallHandler(_states, options, time, loggerFactory.CreateLogger<StationCallHandler>());
        _commands = new OcppCommands(ConnectionOf, _states, loggerFactory.CreateLogger<IOcppCommands>());
    }

    public IReadOnlyList<StationOptions> Stations => _options.Stations;

    /// <summary>The live state of every configured station.</summary>
    public IWallboxStates States => _states;

    public IOcppCommands Commands => _commands;

    /// <summary>
    /// A configured station connects (as after a WebSocket handshake). The state turns Connected
    /// before this returns. Frames the CSMS sends go to <paramref name="toStation"/>, one at a time;
    /// an open session of the same station is replaced.
    /// </summary>
    /// <exception cref="ArgumentException">The station is not in ocpp.stations.</exception>
    public InProcessSession Connect(string stationId, Func<string, CancellationToken, ValueTask> toStation)
    {
        if (!_states.IsConfigured(stationId))
            throw new ArgumentException($"Unknown station '{stationId}': not in ocpp.stations", nameof(stationId));
        var transport = new InMemoryTransport(toStation);
        var connection = new RpcConnection(stationId, transport, (action, payload, _) => _callHandler.HandleAsync(stationId, action, payload),
            _options.CommandTimeout, _time, _rpcLogger);
        var session = new InProcessSession(stationId, transport, connection);
        InProcessSession? replaced;
        lock (_lock)
        {
            _sessions.TryGetValue(stationId, out replaced);
            _sessions[stationId] = session;
        }
        _states.Update(stationId, (t, now) => StateReducer.Connected(t, session, now), fromBox: false);
        _logger.LogInformation("{StationId} connected in process", stationId);
        replaced?.Close();
        session.Completion = RunAsync(session);
        return session;
    }

    /// <summary>Nothing to start: stations can <see cref="Connect"/> from construction on.</summary>
    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Closes every open session and waits until the CSMS has marked each station disconnected.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        InProcessSession[] open;
        lock (_lock) open = [.. _sessions.Values];
        foreach (var session in open) session.Close();
        await Task.WhenAll(open.Select(s => s.Completion)).WaitAsync(ct);
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));

    private RpcConnection? ConnectionOf(string stationId)
    {
        lock (_lock) return _sessions.TryGetValue(stationId, out var session) ? session.Connection : null;
    }

    private async Task RunAsync(InProcessSession session)
    {
        try
        {
            await session.Connection.RunAsync(CancellationToken.None);
        }
        finally
        {
            lock (_lock)
                if (_sessions.TryGetValue(session.StationId, out var current) && current == session) _sessions.Remove(session.StationId);
            _states.Update(session.StationId, (t, now) => StateReducer.Disconnected(t, session, now), fromBox: false);
            _logger.LogInformation("{StationId} disconnected in process", session.StationId);
        }
    }
}

/// <summary>One in-process connection of a station to <see cref="InProcessCsms"/>.</summary>
public sealed class InProcessSession
{
    private readonly InMemoryTransport _transport;

    internal InProcessSession(string stationId, InMemoryTransport transport, RpcConnection connection)
    {
        StationId = stationId;
        _transport = transport;
        Connection = connection;
    }

    public string StationId { get; }

    internal RpcConnection Connection { get; }

    /// <summary>Ends when the session is closed and the CSMS has marked the station disconnected.</summary>
    public Task Completion { get; internal set; } = Task.CompletedTask;

    /// <summary>A frame from the station (a CALL, or the reply to one of ours). False once the session is closed.</summary>
    public bool Send(string frame) => _transport.Deliver(frame);

    /// <summary>The station hangs up: frames already sent are still handled, then the session ends.</summary>
    public void Close() => _transport.Complete();
}

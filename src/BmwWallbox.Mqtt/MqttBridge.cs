using System.Security.Cryptography;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Mqtt;

/// <summary>
/// The MQTT adapter on both ends: signals in, station state and HA discovery out, commands in,
/// and the <see cref="IMessageBus"/> rules publish and subscribe on. Start never waits for the
/// broker: with an external broker that is down, everything else keeps serving and the bridge
/// connects when the broker appears.
/// </summary>
public sealed class MqttBridge : IAsyncDisposable
{
    private readonly MqttOptions _options;
    private readonly EmbeddedMqttBroker? _broker;
    private readonly MqttConnection _connection;
    private readonly SignalStore _store;
    private readonly bool _ownsStore;
    private readonly SignalFeed _signals;
    private readonly StatePublisher _state;
    private readonly CommandHandler _commands;
    private readonly LegacyDiscoveryMigration? _legacyDiscovery;
    private IDisposable? _legacyDiscoveryWatch;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _log;
    private bool _started;

    /// <param name="signals">The <c>signals:</c> section, by name.</param>
    /// <param name="currents">wallbox.min_current / max_current: range of set/current and of the HA number.</param>
    /// <param name="signalStore">A store to feed; when null one is created from <paramref name="signals"/>.</param>
    /// <param name="planTargets">The planner that <c>set/plan</c> sets; null: set/plan is answered "no planner".</param>
    public MqttBridge(
        MqttOptions options,
        IReadOnlyDictionary<string, SignalOptions> signals,
        IWallboxStates states,
        IChargeControllers controllers,
        CurrentRange currents,
        TimeProvider time,
        ILoggerFactory loggers,
        SignalStore? signalStore = null,
        IPlanTargets? planTargets = null)
    {
        Validate(options, signals, currents);
        // Derived signals (expr) have no topic: the runtime computes them from these.
        signals = signals.Where(s => !s.Value.IsDerived).ToDictionary(s => s.Key, s => s.Value);
        _options = options;
        _log = loggers.CreateLogger<MqttBridge>();
        var statusTopic = new TopicLayout(options.BaseTopic).Status;
        // Made anew at each start: only our own client can log in to the embedded broker with our client id.
        var bridgeSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        if (options.Broker is null)
            _broker = new EmbeddedMqttBroker(options.Bind, options.Port, loggers.CreateLogger<EmbeddedMqttBroker>(),
                new BrokerAccess(options, ClientOptionsFactory.EmbeddedClientId, bridgeSecret), options.MaxPendingMessagesPerClient);
        _connection = new MqttConnection(ClientOptionsFactory.Create(options, statusTopic, bridgeSecret), statusTopic, options, time, loggers.CreateLogger<MqttBridge>(), _broker);
        _ownsStore = signalStore is null;
        _store = signalStore ?? new SignalStore(SignalFeed.Definitions(signals), time);
        _signals = new SignalFeed(signals, _store, time, loggers.CreateLogger<SignalFeed>());
        _state = new StatePublisher(options, currents, states, controllers,
            (topic, payload) => _connection.Enqueue(topic, payload, retain: true), loggers.CreateLogger<StatePublisher>());
        if (options.HomeassistantDiscovery)
            _legacyDiscovery = new LegacyDiscoveryMigration(options, _state, (topic, payload) => _connection.Enqueue(topic, payload, retain: false));
        _commands = new CommandHandler(options, currents, controllers,
            (topic, payload) => _connection.Enqueue(topic, payload, retain: false), loggers.CreateLogger<CommandHandler>(), planTargets);
        if (_broker is not null) _broker.CommandDropped += _commands.CountDropped;
    }

    /// <summary>The charge modes: <c>set/mode</c>, the retained <c>mode</c> topic and the HA select. Set before <see cref="StartAsync"/>.</summary>
    public IChargeModes? Modes
    {
        get => _commands.Modes;
        set => (_commands.Modes, _state.Modes) = (value, value);
    }

    /// <summary>Publish/subscribe for the rules engine over the bridge's connection; survives reconnects.</summary>
    public IMessageBus Bus => _connection;

    /// <summary>The configured signals as rules read them ("unavailable" from the source reads as no value).</summary>
    public ISignals Signals => _signals;

    public bool IsConnected => _connection.IsConnected;

    /// <summary>
    /// A person's commands on a topic outside the stations' <c>set/</c> topics (the fleet's <c>&lt;base&gt;/stations/approve</c>):
    /// as for a station command, a retained or empty message is never one (logged and ignored). Dispose to unsubscribe.
    /// </summary>
    public IDisposable SubscribeCommands(string topic, Action<string, string> onCommand)
        => _connection.Subscribe(topic, message =>
        {
            if (message.Retained)
                _log.LogWarning("Ignored retained MQTT command on {Topic}, clear it with: mosquitto_pub -r -n -t '{Retained}'", ShortQuote.Of(message.Topic), ShortQuote.Of(message.Topic));
            else if (message.Payload.Length == 0)
                _log.LogInformation("Ignored empty MQTT message on {Topic}: an empty payload is not a command", ShortQuote.Of(message.Topic));
            else onCommand(message.Topic, message.Payload);
        }, retainAsPublished: true);

    /// <summary>Payloads rejected per signal since start (shown by <c>doctor</c>).</summary>
    public IReadOnlyDictionary<string, long> RejectedSignalPayloads => _signals.RejectedCounts;

    /// <summary>
    /// Starts the embedded broker (if configured; throws when its port is taken) and connects in
    /// the background. Returns without waiting for a broker connection.
    /// </summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        if (_started) throw new InvalidOperationException("The MQTT bridge is already started");
        _started = true;
        if (_broker is not null) await _broker.StartAsync(ct);
        _signals.Attach(_connection);
        _commands.Start(_connection, _stopping.Token);
        _state.Start();
        _legacyDiscoveryWatch = _legacyDiscovery?.Attach(_connection);
        _connection.Start();
    }

    /// <summary>Publishes <c>offline</c>, disconnects and stops the embedded broker.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (!_started) return;
        _started = false;
        _state.Dispose();
        _legacyDiscoveryWatch?.Dispose();
        _signals.Detach();
        await _commands.StopAsync(ct);
        await _stopping.CancelAsync();
        await _connection.StopAsync(ct);
        if (_broker is not null) await _broker.StopAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try { await StopAsync(timeout.Token); }
            catch (OperationCanceledException) { }
        }
        await _connection.DisposeAsync();
        if (_broker is not null) await _broker.DisposeAsync();
        if (_ownsStore) _store.Dispose();
        _stopping.Dispose();
    }

    private static void Validate(MqttOptions options, IReadOnlyDictionary<string, SignalOptions> signals, CurrentRange currents)
    {
        OptionProblems.ThrowIfAnyError(options.Problems().Concat(signals.SelectMany(s => s.Value.Problems(s.Key))));
        if (!(currents.Min > 0 && currents.Max >= currents.Min))
            throw new ArgumentException($"Current range must satisfy 0 < min <= max, got {currents.Min}..{currents.Max}");
    }
}

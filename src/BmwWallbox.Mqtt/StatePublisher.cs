using System.Collections.Concurrent;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Mqtt;

/// <summary>
/// Publishes every station's state (and HA discovery) as retained topics, driven by state and
/// control events. Only values that differ from what was last published go out: no timers, no
/// storm of identical messages on every meter reading. Home Assistant discovery is built once per
/// station and again only when what it shows changes (the box's boot info), not on every reading.
/// Each station has its own lock: stations never wait for each other here.
/// </summary>
internal sealed class StatePublisher(
    MqttOptions options,
    CurrentRange range,
    IWallboxStates states,
    IChargeControllers controllers,
    Action<string, string> publishRetained,
    ILogger log) : IDisposable
{
    private readonly TopicLayout _topics = new(options.BaseTopic);
    private readonly ConcurrentDictionary<string, StationPublication> _stations = new(StringComparer.Ordinal);
    private bool _started;
    private IDisposable? _stationEvents;
    // The embedded broker lives and dies with this process and keeps nothing on disk.
    private readonly bool _brokerStartsEmpty = options.Broker is null;

    /// <summary>The charge modes: published as <c>&lt;base&gt;/&lt;name&gt;/mode</c> (and the HA select); set before <see cref="Start"/>.</summary>
    public IChargeModes? Modes { get; set; }

    public void Start()
    {
        // A heartbeat or a device-model report changes no topic: not even queued (10,000 idle stations send 1,000 heartbeats a second).
        _stationEvents = states.Subscribe(OnWallboxChanged, e => !e.IsHeartbeatOrReport);
        foreach (var controller in controllers.All) controller.ControlChanged += OnControlChanged;
        if (Modes is not null) Modes.ModeChanged += OnModeChanged;
        _started = true;
        foreach (var station in StationIds()) Refresh(station);
    }

    public void Dispose()
    {
        if (!_started) return;
        _stationEvents?.Dispose();
        foreach (var controller in controllers.All) controller.ControlChanged -= OnControlChanged;
        if (Modes is not null) Modes.ModeChanged -= OnModeChanged;
    }

    private void OnModeChanged(string stationId, ChargeMode mode) => Refresh(stationId);

    private void OnWallboxChanged(WallboxEvent e) => Refresh(e.State.StationId);

    private void OnControlChanged(ControlState control) => Refresh(control.StationId);

    private IEnumerable<string> StationIds()
        => states.All.Select(s => s.StationId).Concat(controllers.All.Select(c => c.StationId)).Distinct(StringComparer.Ordinal);

    /// <summary>Recomputes one station's topics and publishes the ones that changed.</summary>
    internal void Refresh(string stationId)
    {
        try
        {
            var state = states.Get(stationId);
            var controller = controllers.Find(stationId);
            var name = state?.Name ?? controller?.Name;
            if (name is null) return;
            if (name.Length == 0 || name.IndexOfAny(['/', '+', '#']) >= 0)
            {
                log.LogError("Station {StationId}: name '{Name}' cannot be used in MQTT topics; not publishing its state", stationId, name);
                return;
            }

            var inputs = StationTopics.Inputs.Of(state, controller?.Control);
            var mode = Modes?.ModeOf(stationId);

            var station = _stations.GetOrAdd(stationId, _ => new StationPublication());
            // Compare and enqueue under the station's lock, so two quick changes cannot overtake each other.
            lock (station.Gate)
            {
                station.Publish(_topics, name, inputs, mode, publishRetained, _brokerStartsEmpty);
                // Not remembered: DiscoveryOutdated already says when it changes, and at ~7 KB it would be
                // the largest thing a station keeps.
                if (options.HomeassistantDiscovery && station.DiscoveryOutdated(name, state?.Boot))
                    PublishDiscovery(stationId, name, state?.Boot);
            }
        }
        catch (Exception ex)
        {
            // Runs inside other components' event handlers: never throw back into them.
            log.LogError(ex, "Station {StationId}: publishing state failed", stationId);
        }
    }

    private void PublishDiscovery(string stationId, string name, BootInfo? boot)
    {
        var (topic, payload) = HomeAssistantDiscovery.Config(options, stationId, name, boot, range, modes: Modes is not null);
        publishRetained(topic, payload);
    }

    /// <summary>
    /// A per-entity discovery config of an older version was found for the node (<see cref="LegacyDiscoveryMigration"/>):
    /// hands the station's entities over to its device config the way Home Assistant documents it (each old
    /// topic told <c>migrate_discovery</c>, then the device config, then each old topic cleared), in one go
    /// under the station's lock so its own discovery cannot slip in between. A node of no station we serve
    /// (removed from the config) is only cleared, which removes it from Home Assistant.
    /// </summary>
    internal void MigrateLegacyDiscovery(string node, Action<string, string> publishOnce)
    {
        try
        {
            var stationId = StationIds().FirstOrDefault(id => HomeAssistantDiscovery.Node(id) == node);
            if (stationId is null)
            {
                foreach (var (platform, key) in HomeAssistantDiscovery.LegacyEntities)
                    publishRetained($"{options.DiscoveryPrefix}/{platform}/{node}/{key}/config", "");
                return;
            }
            var state = states.Get(stationId);
            var name = state?.Name ?? controllers.Find(stationId)?.Name;
            if (name is null) return;
            var legacy = HomeAssistantDiscovery.LegacyTopics(options, stationId).ToList();
            var station = _stations.GetOrAdd(stationId, _ => new StationPublication());
            lock (station.Gate)
            {
                // Not retained: the migration notice is for Home Assistant now, not something the broker should keep.
                foreach (var topic in legacy) publishOnce(topic, HomeAssistantDiscovery.MigratePayload);
                PublishDiscovery(stationId, name, state?.Boot);
                foreach (var topic in legacy) publishRetained(topic, "");
            }
            log.LogInformation("Station {StationId}: moved its Home Assistant discovery from per-entity topics to {Topic}", stationId, HomeAssistantDiscovery.Topic(options, stationId));
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Home Assistant discovery node {Node}: migrating the old per-entity configs failed", node);
        }
    }

    /// <summary>What was last published for one station.</summary>
    private sealed class StationPublication
    {
        private static readonly int ModeSlot = StationTopics.Keys.Length;
        // Per slot (the state topics, then the mode): the topic, made once per name, and the payload last published.
        private readonly string?[] _published = new string?[ModeSlot + 1];
        private string[] _topics = [];
        private string? _name;
        private StationTopics.Inputs? _shown;
        private (string Name, BootInfo? Boot)? _discoveredAs;

        public Lock Gate { get; } = new();

        /// <summary>Publishes the topics whose payload changed; a value that did not change is not even formatted.</summary>
        /// <param name="brokerStartsEmpty">The broker holds nothing of ours yet (the embedded one, at start): a first
        /// unknown (empty) value need not be sent, there is no older value to clear.</param>
        public void Publish(TopicLayout topics, string name, in StationTopics.Inputs inputs, ChargeMode? mode, Action<string, string> publishRetained, bool brokerStartsEmpty)
        {
            if (name != _name)
            {
                _name = name;
                _topics = [.. StationTopics.Keys.Select(key => topics.Station(name, key)), topics.Station(name, "mode")];
                Array.Clear(_published);
                _shown = null;
            }
            for (var key = 0; key < ModeSlot; key++)
                if (_shown is not { } shown || StationTopics.Differs(key, shown, inputs))
                    Send(key, StationTopics.Payload(key, inputs), publishRetained, brokerStartsEmpty);
            _shown = inputs;
            if (mode is { } m) Send(ModeSlot, ChargeModeText.Of(m), publishRetained, brokerStartsEmpty);
        }

        private void Send(int slot, string payload, Action<string, string> publishRetained, bool brokerStartsEmpty)
        {
            var previous = _published[slot];
            if (previous == payload) return;
            _published[slot] = payload;
            if (previous is null && payload.Length == 0 && brokerStartsEmpty) return;
            publishRetained(_topics[slot], payload);
        }

        /// <summary>True (once) when discovery was not yet built for this name and the device its boot info describes.</summary>
        public bool DiscoveryOutdated(string name, BootInfo? boot)
        {
            if (_discoveredAs is { } seen && seen.Name == name && SameDevice(seen.Boot, boot)) return false;
            _discoveredAs = (name, boot);
            return true;
        }

        /// <summary>What discovery shows of the boot info: a reboot's time and reason alone make no new config.</summary>
        private static bool SameDevice(BootInfo? a, BootInfo? b)
            => a is null || b is null
                ? a == b
                : (a.Vendor, a.Model, a.SerialNumber, a.FirmwareVersion) == (b.Vendor, b.Model, b.SerialNumber, b.FirmwareVersion);
    }
}

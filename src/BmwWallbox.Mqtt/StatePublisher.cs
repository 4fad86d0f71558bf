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

    /// <summary>The charge modes: published as <c>&lt;base&gt;/&lt;name&gt;/mode</c> (and the HA select); set before <see cref="Start"/>.</summary>
    public IChargeModes? Modes { get; set; }

    public void Start()
    {
        states.Changed += OnWallboxChanged;
        foreach (var controller in controllers.All) controller.ControlChanged += OnControlChanged;
        if (Modes is not null) Modes.ModeChanged += OnModeChanged;
        _started = true;
        foreach (var station in StationIds()) Refresh(station);
    }

    public void Dispose()
    {
        if (!_started) return;
        states.Changed -= OnWallboxChanged;
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

            var values = StationTopics.Values(_topics, name, state, controller?.Control);
            if (Modes?.ModeOf(stationId) is { } mode)
                values = values.Append(new(_topics.Station(name, "mode"), ChargeModeText.Of(mode)));

            var station = _stations.GetOrAdd(stationId, _ => new StationPublication());
            // Compare and enqueue under the station's lock, so two quick changes cannot overtake each other.
            lock (station.Gate)
            {
                foreach (var (topic, payload) in values) station.Publish(topic, payload, publishRetained);
                // Not remembered per topic: DiscoveryOutdated already says when they change, and at ~1 KB each
                // a station's configs would be the largest thing it keeps.
                if (options.HomeassistantDiscovery && station.DiscoveryOutdated(name, state?.Boot))
                    foreach (var (topic, payload) in HomeAssistantDiscovery.Configs(options, stationId, name, state?.Boot, range, modes: Modes is not null)) publishRetained(topic, payload);
            }
        }
        catch (Exception ex)
        {
            // Runs inside other components' event handlers: never throw back into them.
            log.LogError(ex, "Station {StationId}: publishing state failed", stationId);
        }
    }

    /// <summary>What was last published for one station.</summary>
    private sealed class StationPublication
    {
        private readonly Dictionary<string, string> _published = new(StringComparer.Ordinal);
        private (string Name, BootInfo? Boot)? _discoveredAs;

        public Lock Gate { get; } = new();

        public void Publish(string topic, string payload, Action<string, string> publishRetained)
        {
            if (_published.TryGetValue(topic, out var previous) && previous == payload) return;
            _published[topic] = payload;
            publishRetained(topic, payload);
        }

        /// <summary>True (once) when discovery was not yet built for this name and boot info.</summary>
        public bool DiscoveryOutdated(string name, BootInfo? boot)
        {
            if (_discoveredAs is { } seen && seen.Name == name && Equals(seen.Boot, boot)) return false;
            _discoveredAs = (name, boot);
            return true;
        }
    }
}

using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Mqtt;

/// <summary>
/// Publishes every station's state (and HA discovery) as retained topics, driven by state and
/// control events. Only values that differ from what was last published go out: no timers, no
/// storm of identical messages on every meter reading.
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
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _published = new(StringComparer.Ordinal);
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
            if (options.HomeassistantDiscovery)
                values = values.Concat(HomeAssistantDiscovery.Configs(options, stationId, name, state?.Boot, range, modes: Modes is not null));

            // Compare and enqueue under one lock, so two quick changes cannot overtake each other.
            lock (_lock)
            {
                foreach (var (topic, payload) in values)
                {
                    if (_published.TryGetValue(topic, out var previous) && previous == payload) continue;
                    _published[topic] = payload;
                    publishRetained(topic, payload);
                }
            }
        }
        catch (Exception ex)
        {
            // Runs inside other components' event handlers: never throw back into them.
            log.LogError(ex, "Station {StationId}: publishing state failed", stationId);
        }
    }
}

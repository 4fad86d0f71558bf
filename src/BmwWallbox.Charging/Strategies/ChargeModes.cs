using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging.Strategies;

/// <summary>
/// The charge modes of all stations (<see cref="IChargeModes"/>): one <see cref="StationMode"/> per
/// controller, fed by the signals and the stations' events, with the modes set from outside kept in
/// the data folder. Built beside the rules (same inputs, claims through the same controllers).
/// </summary>
public sealed class ChargeModes : IChargeModes, IAsyncDisposable
{
    private readonly ModeOptions _options;
    private readonly WallboxOptions _wallbox;
    private readonly ISignals _signals;
    private readonly IWallboxStates _states;
    private readonly ILogger _log;
    private readonly ModeStore _store;
    private readonly IReadOnlyList<StationMode> _stations;
    // Looked up on every published state change of a station: a scan of all stations would cost each
    // station's event time in proportion to the site's size.
    private readonly Dictionary<string, StationMode> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StationMode> _byName = new(StringComparer.Ordinal);
    private readonly IChargePlans? _plans;
    private readonly Lock _lock = new();
    private bool _started;
    private IDisposable? _stationEvents;

    /// <param name="dataDirectory">Where the modes set from outside are kept (modes.json); null: not kept.</param>
    public ChargeModes(ModeOptions options, WallboxOptions wallbox, IChargeControllers controllers, ISignals signals,
        IWallboxStates states, IChargePlans? plans, TimeProvider time, ILoggerFactory loggers, string? dataDirectory = null)
    {
        options.Validate();
        wallbox.Validate();
        _options = options;
        _wallbox = wallbox;
        _signals = signals;
        _states = states;
        _plans = plans;
        _log = loggers.CreateLogger<ChargeModes>();
        _store = new ModeStore(dataDirectory, _log);
        var stored = _store.Load();
        _stations = controllers.All.Select(c => new StationMode(c,
            stored.TryGetValue(c.Name, out var mode) ? mode : options.ModeOf(c.Name),
            options, wallbox, options.PhasesOf(c.Name, wallbox), signals, states, plans, time, _log)).ToList();
        foreach (var station in _stations)
        {
            _byId.TryAdd(station.StationId, station);
            _byName.TryAdd(station.Name, station);
        }
    }

    public event Action<string, ChargeMode>? ModeChanged;

    /// <summary>Lines a user must see at start (a mode that cannot work), one per reason, empty when all is well.</summary>
    public IReadOnlyList<string> Warnings => _stations.Where(s => s.Inactive is not null).GroupBy(s => s.Inactive)
        .Select(g => $"{NameList.Of([.. g.Select(s => s.Name)])}: {g.Key}: the mode holds no claim, so the car charges as the rules (or max_current) allow. "
                     + $"Configure signals.{_options.Surplus} (README, \"Solar and tariff charging\") or set charging.mode: now").ToList();

    public ChargeMode? ModeOf(string stationIdOrName) => Find(stationIdOrName)?.Mode;

    public Installation? InstallationOf(string stationIdOrName)
        => Find(stationIdOrName) is { } s ? new Installation(s.Power.Phases, s.Power.Voltage, _wallbox.MinCurrent, _wallbox.MaxCurrent) : null;

    /// <summary>Subscribes to the signals and stations and makes each mode claim once.</summary>
    public void Start()
    {
        _started = true;
        _signals.Changed += OnSignal;
        _stationEvents = _states.Subscribe(OnStation, PlugOrTransactionChanged);
        if (_plans is not null) _plans.PlanChanged += OnPlan;
        foreach (var warning in Warnings) _log.LogWarning("Charge mode: {Warning}", warning);
        // One line per kind of setup: a site of thousands of alike stations logs one, not thousands.
        foreach (var alike in _stations.GroupBy(s => (s.Mode, s.Power.Phases, s.Power.Voltage)))
            _log.LogInformation("{Stations}: charge mode {Mode} ({Phases} phase(s) at {Voltage} V)",
                NameList.Of([.. alike.Select(s => s.Name)]), ChargeModeText.Of(alike.Key.Mode), alike.Key.Phases, alike.Key.Voltage);
        foreach (var station in _stations) station.Poke();
    }

    public string? InactiveReason(string stationIdOrName) => Find(stationIdOrName)?.Inactive;

    public async Task<ActionResult> SetModeAsync(string stationIdOrName, ChargeMode mode, string source, CancellationToken ct = default)
    {
        var station = Find(stationIdOrName);
        if (station is null) return ActionResult.Rejected("mode", $"Unknown station '{stationIdOrName}'");
        var word = ChargeModeText.Of(mode);
        if (ModeOptions.NeedsSurplus(mode) && !station.HasSurplus)
            return ActionResult.Rejected("mode", $"Mode {word} needs the surplus signal '{_options.Surplus}', which is not configured (README, \"Solar and tariff charging\")");
        var before = station.Mode;
        await station.SetModeAsync(mode, ct);
        if (before != mode)
        {
            lock (_lock) _store.Save(_stations.ToDictionary(s => s.Name, s => s.Mode));
            _log.LogInformation("{Station}: charge mode {Mode} (was {Before}), set by {Source}", station.Name, word, ChargeModeText.Of(before), source);
            ModeChanged?.Invoke(station.StationId, mode);
        }
        return ActionResult.Accepted("mode", before == mode ? $"mode {word} (unchanged)" : $"mode {word} (was {ChargeModeText.Of(before)})");
    }

    /// <summary>Completes once every station's mode has done what was queued before (tests and <c>simulate</c>).</summary>
    public Task WhenIdleAsync() => IsIdle ? Task.CompletedTask : Task.WhenAll(_stations.Select(s => s.WhenIdleAsync()));

    /// <summary>No station's mode has work queued or running.</summary>
    public bool IsIdle => _stations.All(s => s.IsIdle);

    private StationMode? Find(string stationIdOrName)
        => _byId.GetValueOrDefault(stationIdOrName) ?? _byName.GetValueOrDefault(stationIdOrName);

    private void OnSignal(SignalReading reading)
    {
        if (reading.Name != _options.Surplus) return;
        foreach (var station in _stations) station.Poke();
    }

    /// <summary>Plug-ins, unplugs and transactions matter; every meter reading does not (and is not even queued).</summary>
    private static bool PlugOrTransactionChanged(WallboxEvent e)
        => e.Previous is not { } before || before.Status != e.State.Status || before.HasActiveTransaction != e.State.HasActiveTransaction;

    private void OnStation(WallboxEvent e)
    {
        if (_byId.TryGetValue(e.State.StationId, out var station)) station.Poke();
    }

    private void OnPlan(string stationId)
    {
        if (_byId.TryGetValue(stationId, out var station) && station.Mode == ChargeMode.Plan) station.Poke();
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            _signals.Changed -= OnSignal;
            _stationEvents?.Dispose();
            if (_plans is not null) _plans.PlanChanged -= OnPlan;
        }
        foreach (var station in _stations) await station.DisposeAsync();
    }
}

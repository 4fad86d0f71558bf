using BmwWallbox.Charging;
using BmwWallbox.Charging.Strategies;
using BmwWallbox.Core;
using BmwWallbox.History;
using BmwWallbox.Planning;
using BmwWallbox.Rules.Engine;
using BmwWallbox.SimulatedBox;

namespace BmwWallbox.Simulation;

/// <summary>
/// Everything a run needs besides the data: the parts of config.yaml the daemon would use (signals,
/// wallbox envelope, rules, station, time zone) plus the simulated car, installation and box.
/// </summary>
public sealed record SimulationSetup
{
    /// <summary>rules: of config.yaml; <see cref="RulesOptions.Dir"/> must be resolved (absolute or relative to the working folder).</summary>
    public required RulesOptions Rules { get; init; }
    /// <summary>The configured signals (signals: of config.yaml). CSV columns with other names are not given to the rules.</summary>
    public IReadOnlyList<SignalDefinition> Signals { get; init; } = [];
    /// <summary>Signals computed from the others (signals.NAME.expr); not in <see cref="Signals"/>, no CSV column.</summary>
    public IReadOnlyList<DerivedSignalDefinition> DerivedSignals { get; init; } = [];
    /// <summary>charging: of config.yaml (with <c>--mode</c> applied); null: no charge modes, the rules alone.</summary>
    public ModeOptions? Modes { get; init; }
    /// <summary>wallbox: of config.yaml: the safety envelope the controller enforces.</summary>
    public WallboxOptions Wallbox { get; init; } = new();
    /// <summary>The station the rules act on (the first of ocpp.stations).</summary>
    public string StationId { get; init; } = "DE*BMW*E0000001";
    public string StationName { get; init; } = "garage";
    /// <summary>ocpp.command_timeout (only matters when the simulated box does not answer).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(15);
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;
    /// <summary>mqtt.base_topic, for rules that publish or read traces.</summary>
    public string BaseTopic { get; init; } = "bmw-wallbox";
    public CarOptions Car { get; init; } = new();
    public WallboxHardwareOptions Hardware { get; init; } = new();
    /// <summary>How the simulated box misbehaves; the real BMW box has them all.</summary>
    public BoxQuirks Quirks { get; init; } = BoxQuirks.AllOn;
    /// <summary>Which columns the house model reads (and which signal gets the simulated grid meter).</summary>
    public HouseSignals House { get; init; } = new();
    /// <summary>
    /// Wall-clock time the virtual-time loop may go without any progress before the run fails with
    /// <see cref="SimulationStuckException"/> instead of hanging (a step takes milliseconds).
    /// </summary>
    public TimeSpan StallLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>plan: of config.yaml: the planner behind the plan mode (forecast topics, standing targets).</summary>
    public PlanOptions Plan { get; init; } = new();

    /// <summary>
    /// MQTT messages the run delivers on its in-process bus at their virtual instant, as the daemon would receive
    /// them from the broker: a price forecast published each afternoon, a target a rule picks up. Sorted or not.
    /// </summary>
    public IReadOnlyList<TimedMessage> Messages { get; init; } = [];

    /// <summary>history: of config.yaml; the run records its sessions like the daemon (history.db and sessions.csv in the output folder). Null: not recorded.</summary>
    public HistoryOptions? History { get; init; }
}

/// <summary>A message published on <paramref name="Topic"/> at the virtual instant <paramref name="At"/>.</summary>
public sealed record TimedMessage(DateTimeOffset At, string Topic, string Payload, bool Retain = false);

/// <summary>How far a run is: the share of the input read (0..1, when known) and the virtual time reached.</summary>
public readonly record struct SimulationProgress(double? Fraction, DateTimeOffset Time, int Steps);

/// <summary>The outcome of a run and where its outputs are.</summary>
public sealed record SimulationResult(SimulationSummary Summary, string TimelinePath, string SummaryPath, string ChartPath)
{
    /// <summary>sessions.csv of the run (as <c>bmw-rules sessions --csv</c> writes it); null when history is off.</summary>
    public string? SessionsPath { get; init; }
}

/// <summary>The run cannot start, e.g. the rules do not load; <see cref="Exception.Message"/> says why.</summary>
public sealed class SimulationSetupException(string message, IReadOnlyList<string>? details = null) : Exception(message)
{
    public IReadOnlyList<string> Details { get; } = details ?? [];
}

using BmwWallbox.Charging.Strategies;
using BmwWallbox.Core;
using BmwWallbox.Rules.Engine;

namespace BmwWallbox.Composition;

/// <summary>What the core runs with, from config.yaml (or a run's own setup).</summary>
public sealed record WallboxRuntimeOptions
{
    public ChargingCoreOptions Charging { get; init; } = new();

    /// <summary>rules: of config.yaml, <see cref="RulesOptions.Dir"/> already resolved.</summary>
    public required RulesOptions Rules { get; init; }

    /// <summary>The zone of at:, cron:, time windows and scripts.</summary>
    public required TimeZoneInfo TimeZone { get; init; }

    /// <summary>Where the rules a person switched off at run time are kept (data_dir/rule-switches.json); null = in memory only.</summary>
    public string? RuleSwitchesFile { get; init; }

    /// <summary>charging: of config.yaml: the charge modes (solar, now, …); null: no modes, only rules claim.</summary>
    public ModeOptions? Modes { get; init; }

    /// <summary>Signals computed from the others (signals.NAME.expr), seen by rules, modes and simulate like any signal.</summary>
    public IReadOnlyList<DerivedSignalDefinition> DerivedSignals { get; init; } = [];

    /// <summary>Where the charging history is recorded; null (or history.enabled false): not recorded.</summary>
    public HistoryStorage? History { get; init; }
}

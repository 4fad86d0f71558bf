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

    /// <summary>
    /// A charge mode poked (by a signal, a station event, its timer) while its worker waits evaluates on the poking thread
    /// instead of handing over to the worker. For <c>simulate</c>: it waits for the modes after every sample anyway, and the
    /// hand-off there and back was two thread switches per sample. The daemon keeps the hand-off, so no receive path runs a strategy.
    /// </summary>
    public bool InlineModeEvaluations { get; init; }

    /// <summary>Where the charging history is recorded; null (or history.enabled false): not recorded.</summary>
    public HistoryStorage? History { get; init; }
}

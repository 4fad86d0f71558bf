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

    /// <summary>Where the charging history is recorded; null (or history.enabled false): not recorded.</summary>
    public HistoryStorage? History { get; init; }
}

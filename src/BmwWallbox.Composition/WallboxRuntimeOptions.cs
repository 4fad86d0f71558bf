using BmwWallbox.Rules.Engine;

namespace BmwWallbox.Composition;

/// <summary>What the core runs with, from config.yaml (or a run's own setup).</summary>
public sealed record WallboxRuntimeOptions
{
    public ChargingCoreOptions Charging { get; init; } = new();

    /// <summary>rules: of config.yaml, <see cref="RulesOptions.Dir"/> already resolved.</summary>
    public required RulesOptions Rules { get; init; }

    /// <summary>mqtt.base_topic: rule traces and command topics live under it.</summary>
    public required string BaseTopic { get; init; }

    /// <summary>The zone of at:, cron:, time windows and scripts.</summary>
    public required TimeZoneInfo TimeZone { get; init; }
}


namespace BmwWallbox.Rules.Engine;

/// <summary>
/// One loaded rule as doctor shows it. <see cref="LastFiredAt"/> null = never fired (edge rule: never
/// triggered; level rule: never took its claim).
/// </summary>
public sealed record RuleStats(
    string RuleId,
    string Name,
    /// <summary>"edge" or "level".</summary>
    string Kind,
    string File,
    int Line,
    bool Enabled,
    DateTimeOffset LoadedAt,
    long Runs,
    long Errors,
    DateTimeOffset? LastFiredAt,
    string? LastResult,
    string? LastError,
    /// <summary>Level rules: whether the rule holds its claim now.</summary>
    bool Holding,
    /// <summary>Switched off at run time by a person (<see cref="RuleRuntime.SetEnabledAsync"/>), whatever <see cref="Enabled"/> says.</summary>
    bool SwitchedOff = false);

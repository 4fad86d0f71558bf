
namespace BmwWallbox.Rules.Engine.Model;

/// <summary>A validated rule as written in YAML; the runtime compiles it into an active rule.</summary>
internal sealed record RuleDefinition(
    string Id,
    string Name,
    string? Description,
    bool Enabled,
    string? Station,
    SourceLocation Location,
    RuleBody Body);

internal abstract record RuleBody;

/// <summary>when: (any trigger) → if: (all conditions) → then: (actions in order).</summary>
internal sealed record EdgeRuleBody(
    IReadOnlyList<TriggerDefinition> When,
    IReadOnlyList<ConditionDefinition> If,
    IReadOnlyList<ActionDefinition> Then,
    RunMode Mode,
    int MaxRuns) : RuleBody;

/// <summary>
/// while: → limit:. The claim is taken once <see cref="While"/> held for <see cref="OnDelay"/> and dropped
/// once the release condition (<see cref="Until"/>, or "While no longer holds") held for <see cref="OffDelay"/>.
/// The limit is <see cref="Amps"/>, or with <see cref="Computed"/> an expression evaluated while the claim is held.
/// </summary>
internal sealed record LevelRuleBody(
    ConditionDefinition While,
    ConditionDefinition? Until,
    TimeSpan OnDelay,
    TimeSpan OffDelay,
    double Amps,
    ComputedLimit? Computed = null) : RuleBody;

/// <summary>What happens when an edge rule fires while a run of it is still going.</summary>
internal enum RunMode
{
    /// <summary>Ignore the new trigger.</summary>
    Single,
    /// <summary>Cancel the running run, then start a new one.</summary>
    Restart,
    /// <summary>Run after the current one finishes (up to max waiting).</summary>
    Queued,
    /// <summary>Run alongside (up to max at once).</summary>
    Parallel,
}

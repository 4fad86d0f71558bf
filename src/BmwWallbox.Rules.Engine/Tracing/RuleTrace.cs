
namespace BmwWallbox.Rules.Engine.Tracing;

/// <summary>
/// What one run of a rule saw and did: the trigger and its values, each condition with what it saw,
/// each action with the controller's answer, and the error if it failed.
/// </summary>
public sealed record RuleTrace(
    string RuleId,
    long Run,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    TraceTrigger Trigger,
    IReadOnlyList<TraceCondition> Conditions,
    IReadOnlyList<TraceAction> Actions,
    /// <summary>done, conditions not met, conditions unavailable, claimed, released, cancelled or error.</summary>
    string Result,
    string? Error);

/// <summary>What fired the run; <see cref="Values"/> holds e.g. signal, value, previous, topic, payload.</summary>
public sealed record TraceTrigger(string Kind, string Description, IReadOnlyDictionary<string, string?> Values);

/// <summary>One condition (nested ones indented), its result (true, false, unavailable, error) and what it saw.</summary>
public sealed record TraceCondition(string Condition, string Result, string Saw);

/// <summary>One action, when it finished, its outcome (Accepted, Rejected, NotConnected, TimedOut, Skipped, Done, Error) and message.</summary>
public sealed record TraceAction(string Action, DateTimeOffset At, string Outcome, string Message);

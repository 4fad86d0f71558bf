using BmwWallbox.Rules.Engine.Runtime;

namespace BmwWallbox.Rules.Engine.Tracing;

/// <summary>Collects one run's trace. Script host calls can complete concurrently, so additions are locked.</summary>
internal sealed class TraceBuilder(string ruleId, long run, DateTimeOffset startedAt, TraceTrigger trigger)
{
    private readonly Lock _lock = new();
    private readonly List<TraceCondition> _conditions = [];
    private readonly List<TraceAction> _actions = [];
    private string? _error;

    public string RuleId => ruleId;
    /// <summary>The run number; level rules number only the evaluations that changed something.</summary>
    public long Run { get; set; } = run;
    public TraceTrigger Trigger => trigger;

    public void Condition(int depth, string condition, Truth result, string saw)
    {
        lock (_lock) _conditions.Add(new TraceCondition(new string(' ', depth * 2) + condition, result.Text(), TraceText.Quote(saw)));
    }

    /// <summary>Adds a group's line before its members; <see cref="Complete"/> fills in its result afterwards.</summary>
    public int Reserve(int depth, string condition)
    {
        lock (_lock)
        {
            _conditions.Add(new TraceCondition(new string(' ', depth * 2) + condition, "", ""));
            return _conditions.Count - 1;
        }
    }

    public void Complete(int index, Truth result, string saw)
    {
        lock (_lock) _conditions[index] = _conditions[index] with { Result = result.Text(), Saw = TraceText.Quote(saw) };
    }

    public void ConditionError(int depth, string condition, string error)
    {
        lock (_lock) _conditions.Add(new TraceCondition(new string(' ', depth * 2) + condition, "error", TraceText.Quote(error)));
    }

    public void Action(string action, DateTimeOffset at, string outcome, string message)
    {
        lock (_lock) _actions.Add(new TraceAction(TraceText.Quote(action), at, outcome, TraceText.Quote(message)));
    }

    public void Fail(string error)
    {
        lock (_lock) _error ??= TraceText.Quote(error);
    }

    public bool Failed
    {
        get { lock (_lock) return _error is not null; }
    }

    public RuleTrace Build(DateTimeOffset finishedAt, string result)
    {
        lock (_lock)
            return new RuleTrace(ruleId, Run, startedAt, finishedAt, trigger, [.. _conditions], [.. _actions],
                _error is null ? result : "error", _error);
    }
}

using BmwWallbox.Rules.Engine.Tracing;

namespace BmwWallbox.Dashboard;

/// <summary>The newest rule runs across all rules (every run, also those that did nothing), newest last.</summary>
internal sealed class RecentTraces
{
    public const int Max = 50;
    private readonly Lock _lock = new();
    private readonly Queue<RuleTrace> _traces = new();

    public void Add(RuleTrace trace)
    {
        lock (_lock)
        {
            _traces.Enqueue(trace);
            while (_traces.Count > Max) _traces.Dequeue();
        }
    }

    public IReadOnlyList<RuleTrace> All()
    {
        lock (_lock) return [.. _traces];
    }
}

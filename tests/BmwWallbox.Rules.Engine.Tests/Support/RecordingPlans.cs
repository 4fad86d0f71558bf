using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Tests.Support;

/// <summary>A planner that records the targets rules set.</summary>
internal sealed class RecordingPlans : IPlanTargets
{
    private readonly Lock _lock = new();
    private readonly List<(string Station, PlanTarget? Target, string Source)> _calls = [];

    public IReadOnlyList<(string Station, PlanTarget? Target, string Source)> Calls
    {
        get { lock (_lock) return [.. _calls]; }
    }

    public ActionResult SetTarget(string station, PlanTarget? target, string source)
    {
        lock (_lock) _calls.Add((station, target, source));
        return ActionResult.Accepted("plan", target is null ? "plan cleared" : $"plan {target}");
    }

    public PlanTarget? TargetOf(string station)
    {
        lock (_lock) return _calls.LastOrDefault(c => c.Station == station).Target;
    }
}

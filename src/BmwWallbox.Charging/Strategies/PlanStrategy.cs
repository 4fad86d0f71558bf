using BmwWallbox.Core;

namespace BmwWallbox.Charging.Strategies;

/// <summary>Mode plan: the planner's step for this station; with no planner or no plan it pauses and says so.</summary>
internal sealed class PlanStrategy(string stationId, IChargePlans? plans) : IModeStrategy
{
    public StrategyDecision Decide(StrategyInput input)
    {
        if (plans is null) return new(0, "no plan: no planner configured");
        // A plan's step changes at its slot boundaries without an event: look again every minute.
        var recheck = new DateTimeOffset(input.Now.UtcTicks - input.Now.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1);
        return plans.StepAt(stationId, input.Now) is { } step
            ? new(step.Amps, step.Reason, recheck)
            : new(0, "no plan", recheck);
    }

    public void Reset() { }
}

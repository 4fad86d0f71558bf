namespace BmwWallbox.Core;

/// <summary>What the plan wants a station to draw at one moment, and why (shown in limit_source and traces).</summary>
public sealed record PlanStep(double Amps, string Reason);

/// <summary>
/// The planner as the <see cref="ChargeMode.Plan"/> mode sees it: the step for a station at a time.
/// The mode claims the step's amps; with no plan it pauses and says so.
/// </summary>
public interface IChargePlans
{
    /// <summary>The step for <paramref name="stationId"/> at <paramref name="now"/>; null when the station has no plan.</summary>
    PlanStep? StepAt(string stationId, DateTimeOffset now);

    /// <summary>Raised with the station id when its plan changes (new target, new forecast, re-plan). Handlers must not block.</summary>
    event Action<string>? PlanChanged;
}

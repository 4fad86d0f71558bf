namespace BmwWallbox.Simulation;

/// <summary>
/// One step of a simulation run: the interval [<see cref="Time"/>, Time + <see cref="Duration"/>)
/// during which the limit, the power flows and the price held. Fed to the summary, the timeline
/// and the chart.
/// </summary>
/// <param name="LimitA">The controller's effective limit, A per phase (0 = paused).</param>
/// <param name="LimitSource">The claim that sets the limit, or "default".</param>
/// <param name="Price">The price per kWh in force, null when unknown.</param>
/// <param name="PluggedIn">Whether a car is plugged in (pause cycles and time at current only count then).</param>
/// <param name="SocPercent">The car's state of charge at the end of the step, when a car is modelled.</param>
/// <param name="ChargingPhases">The phases the car draws on at the step's start (0 when it draws nothing).</param>
/// <param name="SplitFlows">When the car's power changed inside the step: its flows split interval by interval
/// (<see cref="IntervalFlows"/>); null: <paramref name="Power"/> held throughout.</param>
public readonly record struct SimulationStep(
    DateTimeOffset Time,
    TimeSpan Duration,
    double LimitA,
    string LimitSource,
    PowerBalance Power,
    double? Price,
    bool PluggedIn,
    double? SocPercent = null,
    int ChargingPhases = 0,
    StepFlows? SplitFlows = null)
{
    /// <summary>The step's average flows as the summary and the timeline count them (see <see cref="StepFlows"/>).</summary>
    public StepFlows Flows => SplitFlows ?? StepFlows.Of(Power);
}

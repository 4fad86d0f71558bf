using System.Globalization;

namespace BmwWallbox.Charging.Strategies;

/// <summary>
/// Mode minsolar: never pauses; the minimum current comes from the grid if need be, anything the
/// surplus allows above it is added in 0.1 A steps up to the maximum. On a box that switches phases the
/// minimum is taken on one phase while the surplus stays below the 3-phase minimum (<see cref="PhaseSelector"/>).
/// </summary>
internal sealed class MinSolarStrategy(ModeOptions options, double minCurrent, double maxCurrent, PowerConversion power) : IModeStrategy
{
    private readonly PhaseSelector _phases = new(options, minCurrent, power);

    public StrategyDecision Decide(StrategyInput input)
    {
        var switching = input.CanSwitchPhases && _phases.Possible;
        if (!switching) _phases.Fixed();
        var due = switching ? _phases.Follow(input.SurplusW, input.Now) : null;
        var decision = input.SurplusW is not { } surplus
            ? new StrategyDecision(minCurrent, "minsolar: surplus unavailable, min current")
            : new StrategyDecision(Math.Clamp(Math.Floor(_phases.Power.Amps(surplus) * 10) / 10, minCurrent, maxCurrent),
                $"minsolar: surplus {surplus.ToString("0", CultureInfo.InvariantCulture)} W", due);
        return switching ? decision with { Phases = _phases.Phases, Reason = decision.Reason + $" [{_phases.Phases} phase(s)]" } : decision;
    }

    public void Reset() => _phases.Reset();
}

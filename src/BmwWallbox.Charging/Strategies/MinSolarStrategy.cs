using System.Globalization;

namespace BmwWallbox.Charging.Strategies;

/// <summary>
/// Mode minsolar: never pauses; the minimum current comes from the grid if need be, anything the
/// surplus allows above it is added in 0.1 A steps up to the maximum.
/// </summary>
internal sealed class MinSolarStrategy(double minCurrent, double maxCurrent, PowerConversion power) : IModeStrategy
{
    public StrategyDecision Decide(StrategyInput input)
    {
        if (input.SurplusW is not { } surplus) return new(minCurrent, "minsolar: surplus unavailable, min current");
        var amps = Math.Clamp(Math.Floor(power.Amps(surplus) * 10) / 10, minCurrent, maxCurrent);
        return new(amps, $"minsolar: surplus {surplus.ToString("0", CultureInfo.InvariantCulture)} W");
    }

    public void Reset() { }
}

using System.Globalization;
using BmwWallbox.Core;

namespace BmwWallbox.Planning;

/// <summary>One stretch of the plan: charge at <see cref="PowerW"/> from <see cref="Start"/> to <see cref="End"/>.</summary>
/// <param name="Price">Grid price per kWh in this stretch; null when the forecast does not reach it.</param>
/// <param name="SolarW">Forecast solar power the car takes here (counted at the solar price).</param>
public sealed record PlannedSlot(DateTimeOffset Start, DateTimeOffset End, double PowerW, double? Price, double SolarW, double Cost, string Reason)
{
    public double EnergyKwh => PowerW * (End - Start).TotalHours / 1000;

    /// <summary>Planned energy of this slot between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public double EnergyKwhBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var a = from > Start ? from : Start;
        var b = to < End ? to : End;
        return b > a ? PowerW * (b - a).TotalHours / 1000 : 0;
    }
}

/// <summary>
/// The planner's answer for one station: the stretches to charge in (sorted, not overlapping), what it is
/// expected to cost and why. <see cref="Summary"/> is the one-line reason shown in <c>limit_source</c>.
/// </summary>
public sealed record ChargePlan(
    DateTimeOffset PlannedAt,
    DateTimeOffset Deadline,
    double NeededKwh,
    IReadOnlyList<PlannedSlot> Slots,
    bool Feasible,
    string Summary,
    string Currency)
{
    public double PlannedKwh => Slots.Sum(s => s.EnergyKwh);

    public double ExpectedCost => Slots.Sum(s => s.Cost);

    public double? ExpectedCostPerKwh => PlannedKwh > 0 ? ExpectedCost / PlannedKwh : null;

    /// <summary>The slot in force at <paramref name="now"/>; null while the plan waits.</summary>
    public PlannedSlot? SlotAt(DateTimeOffset now) => Slots.FirstOrDefault(s => s.Start <= now && now < s.End);

    /// <summary>The energy the plan charges between <see cref="PlannedAt"/> and <paramref name="now"/>.</summary>
    public double PlannedKwhUntil(DateTimeOffset now) => Slots.Sum(s => s.EnergyKwhBetween(PlannedAt, now));

    /// <summary>The first moment after <paramref name="now"/> at which the plan's power changes; null when none is left.</summary>
    public DateTimeOffset? NextChangeAfter(DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var s in Slots)
        {
            foreach (var t in new[] { s.Start, s.End })
                if (t > now && (next is null || t < next)) next = t;
        }
        return next;
    }

    /// <summary>What to draw at <paramref name="now"/>, in amps at <paramref name="wattsPerAmp"/> (voltage × phases).</summary>
    public PlanStep StepAt(DateTimeOffset now, double wattsPerAmp)
    {
        if (SlotAt(now) is { } slot)
        {
            // Up to the next 0.1 A, so the plan's energy is reached rather than nearly reached.
            var amps = Math.Ceiling(slot.PowerW / wattsPerAmp * 10 - 1e-6) / 10;
            return new PlanStep(amps, $"plan: {slot.Reason}");
        }
        if (now >= Deadline || Slots.All(s => s.End <= now))
            return new PlanStep(0, NeededKwh <= 0 ? "plan: target reached" : $"plan: done ({Summary})");
        var next = Slots.First(s => s.Start > now);
        return new PlanStep(0, $"plan: waiting until {next.Start.ToString("HH:mm", CultureInfo.InvariantCulture)} ({Summary})");
    }
}

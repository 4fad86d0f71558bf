namespace BmwWallbox.SimulatedBox;

/// <summary>Where a profile's schedule stands at a moment: its limit and when that can next change.</summary>
internal static class ProfileSchedule
{
    /// <summary>The profile's limit (in its rate unit) at <paramref name="at"/>, or null when not in force.</summary>
    public static ChargingSchedulePeriod? PeriodAt(ChargingProfile p, DateTimeOffset at, DateTimeOffset? transactionStart,
        ref DateTimeOffset? nextChange)
    {
        if (p.ValidFrom is { } from && at < from) { Earliest(ref nextChange, from); return null; }
        if (p.ValidTo is { } to)
        {
            if (at >= to) return null;
            Earliest(ref nextChange, to);
        }

        var start = p.Kind switch
        {
            "Relative" => transactionStart ?? at,
            _ => p.StartSchedule ?? p.InstalledAt,
        };
        if (at < start) { Earliest(ref nextChange, start); return null; }

        var elapsed = (at - start).TotalSeconds;
        if (p.Kind == "Recurring")
        {
            var cycle = p.RecurrencyKind == "Weekly" ? 7 * 86400.0 : 86400.0;
            var cycles = Math.Floor(elapsed / cycle);
            start = start.AddSeconds(cycles * cycle);
            elapsed -= cycles * cycle;
            Earliest(ref nextChange, start.AddSeconds(cycle));
        }

        if (p.DurationSeconds is { } duration)
        {
            if (elapsed >= duration) return null;
            Earliest(ref nextChange, start.AddSeconds(duration));
        }

        ChargingSchedulePeriod? current = null;
        foreach (var period in p.Periods)
        {
            if (period.StartPeriod <= elapsed) { current = period; continue; }
            Earliest(ref nextChange, start.AddSeconds(period.StartPeriod));
            break;
        }
        return current;
    }

    private static void Earliest(ref DateTimeOffset? slot, DateTimeOffset candidate)
    {
        if (slot is null || candidate < slot) slot = candidate;
    }
}

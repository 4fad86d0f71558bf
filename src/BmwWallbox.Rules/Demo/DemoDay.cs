using BmwWallbox.Simulation;

namespace BmwWallbox.Rules.Demo;

/// <summary>One sample of the demo day at its wall-clock time.</summary>
internal readonly record struct DaySample(TimeOnly Clock, double SolarW, double HouseW);

/// <summary>
/// The synthetic sunny day (examples/data/sunny-day.csv), replayed by wall-clock time in the machine's
/// zone (the one the rules use), so sunrise reads 04:46 and a rule's "17:00" is 17:00 on screen, wherever
/// the demo runs. After the last sample the day starts again on the next date.
/// </summary>
internal sealed record DemoDay(DateOnly Date, IReadOnlyList<DaySample> Samples)
{
    public const string SolarSignal = "solar_power";
    public const string HouseSignal = "house_power";

    public static DemoDay Load()
    {
        using var csv = new SignalCsvReader(DemoResources.OpenDay(), "sunny-day.csv", TimeZoneInfo.Utc);
        int solar = csv.IndexOf(SolarSignal), house = csv.IndexOf(HouseSignal);
        if (solar < 0 || house < 0) throw new InvalidDataException($"sunny-day.csv needs the columns {SolarSignal} and {HouseSignal}");
        var samples = new List<DaySample>();
        DateOnly? date = null;
        foreach (var s in csv.ReadSamples())
        {
            // The file's own clock reading (its offset is that of the place it was made for).
            date ??= DateOnly.FromDateTime(s.Time.DateTime);
            if (s[solar] is { } w) samples.Add(new DaySample(TimeOnly.FromDateTime(s.Time.DateTime), w, s[house] ?? 0));
        }
        return new DemoDay(date ?? throw new InvalidDataException("sunny-day.csv has no samples"), samples);
    }

    /// <summary>The instant the demo day reads <paramref name="clock"/> in <paramref name="zone"/>.</summary>
    public DateTimeOffset At(TimeOnly clock, TimeZoneInfo zone, int day = 0)
    {
        var local = Date.AddDays(day).ToDateTime(clock);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The samples from <paramref name="start"/> on, day after day, without end.</summary>
    public IEnumerable<(DateTimeOffset At, DaySample Sample)> From(DateTimeOffset start, TimeZoneInfo zone)
    {
        for (var day = 0; ; day++)
            foreach (var sample in Samples)
                if (At(sample.Clock, zone, day) is var at && at >= start)
                    yield return (at, sample);
    }
}

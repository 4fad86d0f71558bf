using NCrontab;

namespace BmwWallbox.Rules.Engine.Scheduling;

/// <summary>
/// Next occurrence of a cron schedule in a time zone's wall-clock time, across DST changes:
/// a wall time skipped in spring runs shifted by the gap (02:30 → 03:30 CEST in Europe/Berlin);
/// a wall time repeated in autumn runs once, at its first occurrence.
/// </summary>
internal static class CronSchedules
{
    public static DateTimeOffset Next(CrontabSchedule schedule, TimeZoneInfo zone, DateTimeOffset after)
    {
        var wall = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        // Bounded: a schedule that passes validation fires within a few years; give up rather than spin.
        for (var i = 0; i < 100_000; i++)
        {
            wall = schedule.GetNextOccurrence(wall);
            foreach (var instant in Instants(wall, zone))
                if (instant > after) return instant;
        }
        throw new InvalidOperationException("cron schedule has no next occurrence");
    }

    private static IEnumerable<DateTimeOffset> Instants(DateTime wall, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(wall))
            return [new DateTimeOffset(wall, zone.GetUtcOffset(wall.AddDays(-1)))];
        if (zone.IsAmbiguousTime(wall))
            return zone.GetAmbiguousTimeOffsets(wall).Select(o => new DateTimeOffset(wall, o)).OrderBy(d => d.UtcDateTime);
        return [new DateTimeOffset(wall, zone.GetUtcOffset(wall))];
    }
}

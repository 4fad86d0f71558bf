using BmwWallbox.Rules.Engine.Scheduling;
using NCrontab;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>cron in wall-clock time across the Europe/Berlin DST changes.</summary>
public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo Berlin = Harness.Berlin;

    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);

    [Fact]
    public void A_daily_time_keeps_its_wall_clock_time_across_both_changes()
    {
        var at17 = CrontabSchedule.Parse("0 17 * * *");
        // 29 March 2025 17:00 CET = 16:00Z; 30 March (CEST) 17:00 = 15:00Z
        Assert.Equal(Utc(2025, 3, 29, 16, 0), CronSchedules.Next(at17, Berlin, Utc(2025, 3, 29, 12, 0)));
        Assert.Equal(Utc(2025, 3, 30, 15, 0), CronSchedules.Next(at17, Berlin, Utc(2025, 3, 29, 16, 0)));
        // 25 October (CEST) 15:00Z; 26 October (CET) 16:00Z
        Assert.Equal(Utc(2025, 10, 25, 15, 0), CronSchedules.Next(at17, Berlin, Utc(2025, 10, 25, 12, 0)));
        Assert.Equal(Utc(2025, 10, 26, 16, 0), CronSchedules.Next(at17, Berlin, Utc(2025, 10, 25, 15, 0)));
    }

    [Fact]
    public void A_time_skipped_in_spring_runs_shifted_by_the_gap()
    {
        // 30 March 2025: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist → runs at 03:30 CEST (01:30Z).
        var at0230 = CrontabSchedule.Parse("30 2 * * *");
        Assert.Equal(Utc(2025, 3, 30, 1, 30), CronSchedules.Next(at0230, Berlin, Utc(2025, 3, 29, 12, 0)));
        Assert.Equal(Utc(2025, 3, 31, 0, 30), CronSchedules.Next(at0230, Berlin, Utc(2025, 3, 30, 1, 30)));
    }

    [Fact]
    public void A_time_repeated_in_autumn_runs_once()
    {
        // 26 October 2025: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice → once, at 02:30 CEST (00:30Z).
        var at0230 = CrontabSchedule.Parse("30 2 * * *");
        var first = CronSchedules.Next(at0230, Berlin, Utc(2025, 10, 25, 12, 0));
        Assert.Equal(Utc(2025, 10, 26, 0, 30), first);
        Assert.Equal(Utc(2025, 10, 27, 1, 30), CronSchedules.Next(at0230, Berlin, first));
    }

    [Fact]
    public void Every_quarter_hour_through_the_autumn_change_never_fires_twice_for_one_wall_time()
    {
        var quarter = CrontabSchedule.Parse("*/15 * * * *");
        var fired = new List<DateTimeOffset>();
        var t = Utc(2025, 10, 25, 23, 50); // 01:50 CEST
        while (t < Utc(2025, 10, 26, 3, 0))
        {
            t = CronSchedules.Next(quarter, Berlin, t);
            fired.Add(t);
        }
        var wallTimes = fired.Select(f => TimeZoneInfo.ConvertTime(f, Berlin).ToString("HH:mm")).ToList();
        Assert.Equal(wallTimes.Distinct().Count(), wallTimes.Count);
        Assert.Contains("02:45", wallTimes);
        Assert.True(fired.Zip(fired.Skip(1)).All(p => p.Second > p.First));
    }

    [Fact]
    public async Task The_runtime_fires_an_at_rule_across_the_spring_change_in_virtual_time()
    {
        await using var h = new Harness(start: Utc(2025, 3, 29, 12, 0));
        await h.StartAsync("- id: morning\n  when: [{ at: \"07:00\" }]\n  then: [{ log: morning }]\n");
        var started = new List<DateTimeOffset>();
        for (var day = 0; day < 2; day++)
        {
            var next = h.NextTrace("morning");
            for (var hour = 0; hour < 24; hour++) h.Clock.Advance(TimeSpan.FromHours(1));
            started.Add((await next).StartedAt); // each run ends before the next day (mode single)
        }
        // 30 March 07:00 CEST = 05:00Z, 31 March 07:00 CEST = 05:00Z (29 March would have been 06:00Z)
        Assert.Equal([Utc(2025, 3, 30, 5, 0), Utc(2025, 3, 31, 5, 0)], started);
    }
}

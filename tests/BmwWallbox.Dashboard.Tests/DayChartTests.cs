using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Tracing;

namespace BmwWallbox.Dashboard.Tests;

public class DayChartTests
{
    private static readonly DateTimeOffset Ten = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void One_point_per_minute_the_last_values_of_each_minute_and_silent_minutes_repeat_the_last()
    {
        var clock = new ManualClock(Ten);
        var chart = new DayChart("solar_power", "house_power", clock);
        chart.OnStation("S", 11_000, 16);
        chart.OnSignal(new SignalReading("solar_power", 5000, Ten, false));
        clock.Advance(TimeSpan.FromSeconds(30));
        chart.OnSignal(new SignalReading("solar_power", 5200, clock.GetUtcNow(), false));
        chart.OnSignal(new SignalReading("price", 0.3, clock.GetUtcNow(), false)); // not charted
        clock.Advance(TimeSpan.FromMinutes(3));
        chart.OnStation("S", 0, 0);

        var (points, _) = chart.Since("S", Ten);

        Assert.Equal(
            [new ChartPoint(Ten, 5200, null, 11_000, 16), new ChartPoint(Ten.AddMinutes(1), 5200, null, 11_000, 16),
             new ChartPoint(Ten.AddMinutes(2), 5200, null, 11_000, 16), new ChartPoint(Ten.AddMinutes(3), 5200, null, 0, 0)],
            points);
    }

    [Fact]
    public void A_stale_signal_is_a_gap_and_only_runs_that_acted_are_marks()
    {
        var clock = new ManualClock(Ten);
        var chart = new DayChart("solar_power", null, clock);
        chart.OnStation("S", 0, 16);
        chart.OnSignal(new SignalReading("solar_power", 5000, Ten, Stale: true));
        var trigger = new TraceTrigger("signal", "solar_power changed", new Dictionary<string, string?>());
        chart.OnTrace(new RuleTrace("looked", 1, Ten, Ten, trigger, [], [], "conditions not met", null));
        chart.OnTrace(new RuleTrace("solar-pause", 1, Ten, Ten, trigger, [], [new TraceAction("claim pause (0 A)", Ten, "Accepted", "limit 0 A")], "claimed", null));

        var (points, marks) = chart.Since("S", Ten);

        Assert.Null(Assert.Single(points).SolarW);
        var mark = Assert.Single(marks);
        Assert.Equal(("solar-pause", "claim pause (0 A) → Accepted (limit 0 A)"), (mark.RuleId, mark.Text));
    }
}

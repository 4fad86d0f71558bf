using BmwWallbox.Rules.Hosting;

namespace BmwWallbox.Rules.Tests.Hosting;

/// <summary>How often status.json is rewritten: every 10 s for a home, less often as the file grows, never so rarely that doctor takes the instance for stopped.</summary>
public class StatusFileIntervalTests
{
    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 10)]
    [InlineData(1000, 10)]
    [InlineData(1001, 20)]
    [InlineData(3500, 40)]
    [InlineData(6000, 60)]
    [InlineData(10_000, 60)] // capped: doctor takes a file older than 2 minutes for a stopped instance
    public void Every_started_thousand_stations_adds_ten_seconds_up_to_a_minute(int stations, int seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), StatusFileWriter.IntervalFor(stations));
}

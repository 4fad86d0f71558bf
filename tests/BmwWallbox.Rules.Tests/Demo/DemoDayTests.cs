using BmwWallbox.Rules.Demo;

namespace BmwWallbox.Rules.Tests.Demo;

public class DemoDayTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.CreateCustomTimeZone("demo+2", TimeSpan.FromHours(2), "demo+2", "demo+2");

    [Fact]
    public void The_embedded_day_is_the_sunny_example_day_sample_by_sample()
    {
        var day = DemoDay.Load();

        Assert.Equal(new DateOnly(2026, 6, 21), day.Date);
        Assert.Equal(File.ReadLines(RepoPaths.Of("examples/data/sunny-day.csv")).Count() - 1, day.Samples.Count);
        Assert.Equal(new TimeOnly(0, 0), day.Samples[0].Clock);
        // Dark at 04:00, over the solar-pause rule's 2.5 kW by 08:00, as examples/data/README.md describes.
        Assert.Equal(0, day.Samples.Single(s => s.Clock == new TimeOnly(4, 0)).SolarW);
        Assert.True(day.Samples.Single(s => s.Clock == new TimeOnly(8, 0)).SolarW > 2500);
    }

    [Fact]
    public void Replay_starts_at_the_given_instant_and_continues_on_the_next_day()
    {
        var day = DemoDay.Load();
        var start = day.At(new TimeOnly(23, 58), Berlin);

        var played = day.From(start, Berlin).Take(4).ToList();

        Assert.Equal(new DateTimeOffset(2026, 6, 21, 23, 58, 0, TimeSpan.FromHours(2)), played[0].At);
        Assert.Equal(new DateTimeOffset(2026, 6, 22, 0, 0, 0, TimeSpan.FromHours(2)), played[2].At);
        Assert.Equal(day.Samples[0], played[2].Sample);
        Assert.Equal(TimeSpan.FromMinutes(1), played[3].At - played[2].At);
    }

    [Fact]
    public void The_demo_rules_are_embedded()
    {
        Assert.Equal(["evening-cap.yaml", "solar-pause.yaml"], DemoResources.RuleFiles);
        var folder = Path.Combine(Path.GetTempPath(), $"demo-rules-{Guid.NewGuid():N}");
        try
        {
            DemoResources.WriteRules(folder);
            Assert.Equal(File.ReadAllText(RepoPaths.Of("examples/rules/solar-pause.yaml")), File.ReadAllText(Path.Combine(folder, "solar-pause.yaml")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

namespace BmwWallbox.Simulation.Tests.Runs;

/// <summary>
/// A sample holds until the next one, whatever the data's interval: a <c>for:</c> as long as the interval
/// completes, and a stale_after shorter than it does not make the signal unavailable between samples.
/// </summary>
public sealed class SampleBoundaryTests
{
    private static readonly CarOptions DawnToDusk = new()
    {
        PlugIn = new TimeOnly(5, 0), Departure = new TimeOnly(21, 0), BatteryKwh = 100, StartSoc = 10, MaxCurrent = 8,
    };

    [Fact]
    public async Task Solar_pause_on_the_five_minute_price_day_releases_its_pause_and_charges()
    {
        using var h = new SimulationHarness("solar-pause.yaml");
        var result = await h.RunAsync("price-day.csv");

        // The release waits 5 min (for.off) on 5-minute samples with stale_after 5m. It used to be dropped at every
        // boundary (the stale timer ran before the next sample), so the car charged 0 kWh, silently.
        Assert.True(result.Summary.ChargedKwh > 10, $"charged {result.Summary.ChargedKwh} kWh");
        Assert.True(result.Summary.RulesFired["solar-pause"] >= 2, "paused and released");
        Assert.Empty(h.Warnings);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(15)]
    [InlineData(30)]
    public async Task Coarser_samples_of_the_sunny_day_pause_and_release_as_the_one_minute_samples_do(int minutes)
    {
        using var h = new SimulationHarness("solar-pause.yaml");
        var result = await h.RunFileAsync(h.Resampled("sunny-day.csv", minutes), h.Setup(DawnToDusk));

        // As on the one-minute day: paused at the start (no sun), released in the morning, paused at dusk.
        Assert.Equal(3, result.Summary.RulesFired["solar-pause"]);
        Assert.True(result.Summary.ChargedKwh > 40, $"charged {result.Summary.ChargedKwh} kWh");
        Assert.Equal(1, result.Summary.Pauses);
        // stale_after 5m of solar_power and grid_power: longer data intervals are held, and said so.
        if (minutes > 5) Assert.Equal(2, h.Warnings.Count);
        else Assert.Empty(h.Warnings);
        Assert.All(h.Warnings, w => Assert.Contains($"shorter than the {minutes}m between its samples", w));
    }
}

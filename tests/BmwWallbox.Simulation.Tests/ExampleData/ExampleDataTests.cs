namespace BmwWallbox.Simulation.Tests.ExampleData;

public class ExampleDataTests
{
    private static readonly TimeZoneInfo Berlin = ExampleDayGenerator.Berlin;

    [Fact]
    public void Committed_files_are_the_generator_output()
    {
        var dir = RepoPaths.Of("examples/data");
        // The documented way to refresh the files after changing the generator.
        if (Environment.GetEnvironmentVariable("REGENERATE_EXAMPLE_DATA") == "1")
            foreach (var (name, content) in ExampleDayGenerator.All())
                File.WriteAllText(Path.Combine(dir, name), content);

        foreach (var (name, content) in ExampleDayGenerator.All())
            Assert.True(File.ReadAllText(Path.Combine(dir, name)) == content,
                $"examples/data/{name} differs from the generator; run REGENERATE_EXAMPLE_DATA=1 dotnet test tests/BmwWallbox.Simulation.Tests");
    }

    [Theory]
    [InlineData("sunny-day.csv", "2026-06-21T00:00:00+02:00", 1)]
    [InlineData("cloudy-day.csv", "2026-06-24T00:00:00+02:00", 1)]
    [InlineData("winter-day.csv", "2026-01-15T00:00:00+01:00", 1)]
    [InlineData("price-day.csv", "2026-04-15T00:00:00+02:00", 5)]
    [InlineData("overcast-day.csv", "2026-10-14T00:00:00+02:00", 1)]
    public void Each_day_covers_24_hours_at_a_fixed_interval_in_Berlin_time(string file, string start, int minutes)
    {
        var samples = Read(file);
        var first = DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(24 * 60 / minutes, samples.Count);
        Assert.Equal(first, samples[0].Time);
        Assert.Equal(first.Offset, samples[0].Time.Offset);
        Assert.All(samples.Zip(samples.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(minutes), pair.Second.Time - pair.First.Time));
    }

    [Fact]
    public void Sunny_day_peaks_above_6_kW_around_midday_and_is_dark_at_night()
    {
        var solar = Series("sunny-day.csv", "solar_power");

        var peak = solar.MaxBy(s => s.Value);
        Assert.True(peak.Value > 6000, $"peak {peak.Value} W");
        Assert.InRange(Local(peak.Time).Hour, 11, 15);
        Assert.All(solar.Where(s => Local(s.Time).Hour is < 4 or >= 22), s => Assert.Equal(0, s.Value));
        // A clear June day on a 10 kWp roof yields roughly 55–75 kWh.
        Assert.InRange(KWh(solar), 55, 75);
    }

    [Fact]
    public void Cloudy_day_yields_much_less_and_jumps_as_clouds_pass()
    {
        var sunny = KWh(Series("sunny-day.csv", "solar_power"));
        var cloudy = Series("cloudy-day.csv", "solar_power");

        Assert.True(KWh(cloudy) < 0.6 * sunny, $"cloudy {KWh(cloudy):0.0} kWh vs sunny {sunny:0.0} kWh");
        var drops = cloudy.Zip(cloudy.Skip(3)).Count(p => p.First.Value - p.Second.Value > 2000);
        Assert.True(drops >= 10, $"only {drops} drops of more than 2 kW within 3 minutes");
    }

    [Fact]
    public void Overcast_day_rarely_has_the_surplus_of_a_three_phase_car()
    {
        var solar = Series("overcast-day.csv", "solar_power");
        var house = Series("overcast-day.csv", "house_power");
        var surplus = solar.Zip(house, (s, h) => s.Value - h.Value).ToList();

        // 6 A on three phases is 4140 W: a three-phase-only car gets (almost) nothing from this roof; one phase (1380 W) gets hours.
        Assert.InRange(surplus.Count(w => w >= 4140), 1, 60);
        Assert.True(surplus.Count(w => w >= 1380) > 4 * 60);
    }

    [Fact]
    public void Winter_day_is_low_and_short()
    {
        var solar = Series("winter-day.csv", "solar_power");

        Assert.True(solar.Max(s => s.Value) < 3000);
        Assert.All(solar.Where(s => Local(s.Time).Hour is < 8 or >= 17), s => Assert.Equal(0, s.Value));
        Assert.True(KWh(solar) < 15);
    }

    [Theory]
    [InlineData("sunny-day.csv")]
    [InlineData("cloudy-day.csv")]
    [InlineData("winter-day.csv")]
    [InlineData("price-day.csv")]
    [InlineData("overcast-day.csv")]
    public void House_has_a_base_load_and_cooking_peaks(string file)
    {
        var house = Series(file, "house_power");

        Assert.InRange(house.Min(s => s.Value), 250, 550);
        Assert.True(house.Max(s => s.Value) > 1500);
        var nightAverage = house.Where(s => Local(s.Time).Hour is >= 1 and < 5).Average(s => s.Value);
        Assert.InRange(nightAverage, 300, 550);
    }

    [Fact]
    public void Price_day_is_cheapest_at_night_dearest_in_the_evening_with_a_noon_dip()
    {
        var prices = Series("price-day.csv", "price");
        var hourly = prices.GroupBy(p => Local(p.Time).Hour).ToDictionary(g => g.Key, g => g.Average(p => p.Value));

        Assert.Equal(24 * 4, prices.Count); // one price per quarter hour, empty cells in between
        Assert.InRange(hourly.MinBy(h => h.Value).Key, 0, 5);
        Assert.InRange(hourly.MaxBy(h => h.Value).Key, 17, 21);
        var morningPeak = Enumerable.Range(7, 3).Max(h => hourly[h]);
        Assert.True(hourly[13] < morningPeak && hourly[13] < hourly[10], "no solar dip at noon");
    }

    private static List<SignalSample> Read(string file)
    {
        using var reader = SignalCsvReader.Open(RepoPaths.Of($"examples/data/{file}"), Berlin);
        return reader.ReadSamples().ToList();
    }

    private static List<(DateTimeOffset Time, double Value)> Series(string file, string column)
    {
        using var reader = SignalCsvReader.Open(RepoPaths.Of($"examples/data/{file}"), Berlin);
        var index = reader.IndexOf(column);
        Assert.True(index >= 0, $"{file} has no {column} column");
        return reader.ReadSamples().Where(s => s[index] is not null).Select(s => (s.Time, s[index]!.Value)).ToList();
    }

    private static DateTime Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, Berlin).DateTime;

    /// <summary>Energy of evenly spaced power samples, each holding until the next.</summary>
    private static double KWh(List<(DateTimeOffset Time, double Value)> series) =>
        series.Zip(series.Skip(1)).Sum(p => p.First.Value * (p.Second.Time - p.First.Time).TotalHours / 1000);
}

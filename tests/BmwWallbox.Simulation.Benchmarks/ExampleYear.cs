using System.Globalization;
using System.Text;

namespace BmwWallbox.Simulation.Benchmarks;

/// <summary>
/// A deterministic year of 1-minute samples (solar_power, house_power) made of the shipped example
/// days: winter days from November to February, otherwise sunny and cloudy days in a fixed pattern.
/// Timestamps are UTC; each minute takes the example day's value at the same local time of day.
/// </summary>
internal static class ExampleYear
{
    public static string Write(string repoRoot, TimeZoneInfo zone, int year = 2026)
    {
        var sunny = Profile(repoRoot, "sunny-day.csv");
        var cloudy = Profile(repoRoot, "cloudy-day.csv");
        var winter = Profile(repoRoot, "winter-day.csv");
        var path = Path.Combine(Path.GetTempPath(), $"bmw-rules-example-year-{year}.csv");
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write("timestamp,solar_power,house_power\n");
        var start = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero) - zone.GetUtcOffset(new DateTime(year, 1, 1));
        var end = new DateTimeOffset(year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero) - zone.GetUtcOffset(new DateTime(year + 1, 1, 1));
        for (var t = start; t < end; t = t.AddMinutes(1))
        {
            var local = TimeZoneInfo.ConvertTime(t, zone);
            var day = local.Month is >= 11 or <= 2 ? winter : (local.DayOfYear % 3 == 0 ? cloudy : sunny);
            var (solar, house) = day[local.Hour * 60 + local.Minute];
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{t.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},{solar},{house}\n"));
        }
        return path;
    }

    private static (string Solar, string House)[] Profile(string repoRoot, string file) =>
        File.ReadLines(Path.Combine(repoRoot, "examples", "data", file)).Skip(1)
            .Select(line => line.Split(','))
            .Select(cells => (cells[1], cells[2]))
            .ToArray();
}

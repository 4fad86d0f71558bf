using System.Globalization;
using System.Text;

namespace BmwWallbox.Simulation.Benchmarks;

/// <summary>
/// A deterministic synthetic year of 1-minute samples (solar_power, house_power, price) for a house in
/// Germany with a 10 kWp roof: day length and peak follow the seasons, each day draws a weather (clear,
/// mixed, overcast) and clouds pass in minutes; the house has a base load with morning and evening peaks;
/// the price is quarter-hourly with a cheap night, an evening peak and a midday solar dip. Fixed seed:
/// the same file every time, generated in code rather than committed (it is 25 MB).
/// </summary>
internal static class SyntheticYear
{
    public static string Write(TimeZoneInfo zone, int year = 2026)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bmw-rules-synthetic-year-{year}.csv");
        // Written beside and moved into place: two benchmark runs at once must not read each other's half-written file.
        var partial = $"{path}.{Environment.ProcessId}.partial";
        Write(zone, year, partial);
        File.Move(partial, path, overwrite: true);
        return path;
    }

    private static void Write(TimeZoneInfo zone, int year, string path)
    {
        var random = new Random(12);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write("timestamp,solar_power,house_power,price\n");
        // Minute by minute in UTC, so the daylight-saving changes neither skip nor repeat a timestamp.
        var start = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero) - zone.GetUtcOffset(new DateTime(year, 1, 1));
        var end = new DateTimeOffset(year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero) - zone.GetUtcOffset(new DateTime(year + 1, 1, 1));
        var day = DateOnly.MinValue;
        double dayHours = 0, peakW = 0, clearSky = 0, cloudiness = 0, basePrice = 0, cloud = 0;
        const double noon = 13.2; // local solar noon, summer time included roughly
        for (var instant = start; instant < end; instant = instant.AddMinutes(1))
        {
            var local = TimeZoneInfo.ConvertTime(instant, zone);
            if (DateOnly.FromDateTime(local.DateTime) != day)
            {
                day = DateOnly.FromDateTime(local.DateTime);
                var season = Math.Cos(2 * Math.PI * (day.DayOfYear - 172) / 365.0); // 1 at midsummer, -1 at midwinter
                dayHours = 12.25 + 4.25 * season;
                peakW = 5200 + 2800 * season;
                var weather = random.NextDouble();
                (clearSky, cloudiness) = weather < 0.35 ? (1.0, 0.05) : weather < 0.75 ? (0.9, 0.45) : (0.45, 0.8);
                basePrice = 0.26 + 0.04 * random.NextDouble() - 0.02 * season;
            }
            var minute = local.Hour * 60 + local.Minute;
            var hour = minute / 60.0;
            var sun = Math.Cos(Math.PI * (hour - noon) / dayHours);
            // Clouds: a cover that drifts minute by minute, more often and thicker on mixed and overcast days.
            if (random.NextDouble() < 0.08) cloud = random.NextDouble() < cloudiness ? 0.3 + 0.6 * random.NextDouble() : 0;
            var solar = sun > 0 ? peakW * clearSky * Math.Pow(sun, 1.3) * (1 - cloud) * (0.97 + 0.03 * random.NextDouble()) : 0;
            var house = 380 + 60 * random.NextDouble()
                + (random.NextDouble() < 0.04 ? 1500 : 0) // kettle, oven, washing machine for a minute
                + (hour is >= 6.5 and < 8 ? 500 : 0) + (hour is >= 18 and < 21.5 ? 700 : 0) + (hour is >= 11.5 and < 12.5 ? 900 : 0);
            var price = minute % 15 != 0 ? "" : (basePrice
                - (hour < 5 ? 0.05 : 0) + (hour is >= 7 and < 9 ? 0.05 : 0) + (hour is >= 17 and < 21 ? 0.10 : 0)
                - 0.06 * Math.Max(0, sun) * clearSky + 0.01 * random.NextDouble()).ToString("0.0000", CultureInfo.InvariantCulture);
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{instant.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},{solar:0},{house:0},{price}\n"));
        }
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BmwWallbox.Simulation.Benchmarks;

/// <summary>
/// A deterministic synthetic year of hourly grid prices (EUR/kWh, energy plus fees, as Tibber's <c>total</c>) for
/// Germany: dearer in winter, a cheap night, a morning and an evening peak, a midday dip on sunny summer days,
/// cheaper weekends, windy spells that lower whole days (a persistent day level), and a little noise per hour.
/// Fixed seed: the same prices every time. <see cref="Forecast"/> publishes them as Nordpool's Home Assistant
/// integration does: at 13:00 the next day's prices appear beside today's.
/// </summary>
internal sealed class PriceYear
{
    private PriceYear(TimeZoneInfo zone, SortedList<DateTimeOffset, double> prices)
    {
        Zone = zone;
        Prices = prices;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>The price of each hour, by its start (UTC).</summary>
    public SortedList<DateTimeOffset, double> Prices { get; }

    public static PriceYear Create(TimeZoneInfo zone, int year = 2026)
    {
        var random = new Random(2026);
        var prices = new SortedList<DateTimeOffset, double>();
        var start = Midnight(new DateOnly(year, 1, 1), zone);
        var end = Midnight(new DateOnly(year + 1, 1, 1), zone);
        var day = DateOnly.MinValue;
        double wind = 0, dayLevel = 0, sunny = 0;
        for (var hour = start; hour < end; hour = hour.AddHours(1))
        {
            var local = TimeZoneInfo.ConvertTime(hour, zone);
            if (DateOnly.FromDateTime(local.DateTime) != day)
            {
                day = DateOnly.FromDateTime(local.DateTime);
                var winter = Math.Cos(2 * Math.PI * (day.DayOfYear - 15) / 365.0); // 1 mid-January, -1 mid-July
                // Windy spells last a few days: the day's level follows the last one's.
                wind = 0.7 * wind + 0.3 * (random.NextDouble() * 2 - 1);
                sunny = random.NextDouble() < 0.45 - 0.3 * winter ? 1 : 0.3;
                dayLevel = 0.27 + 0.035 * winter - 0.06 * wind
                    - (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.02 : 0);
            }
            var h = local.Hour;
            var summer = Math.Max(0, -Math.Cos(2 * Math.PI * (day.DayOfYear - 15) / 365.0) + 0.3);
            var shape = h < 5 ? -0.045 : h < 7 ? -0.015 : h < 10 ? 0.04 : h < 11 ? 0.01
                : h < 16 ? -0.055 * summer * sunny : h < 17 ? 0.02 : h < 21 ? 0.075 : h < 23 ? 0.02 : -0.02;
            var price = dayLevel + shape + 0.012 * (random.NextDouble() - 0.5);
            prices.Add(hour, Math.Round(price, 4));
        }
        return new PriceYear(zone, prices);
    }

    /// <summary>timestamp,price: one row per hour (UTC), for the run's price signal.</summary>
    public string WriteCsv(int year = 2026)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bmw-rules-price-year-{year}.csv");
        var partial = $"{path}.{Environment.ProcessId}.partial";
        using (var writer = new StreamWriter(partial, false, new UTF8Encoding(false)))
        {
            writer.Write("timestamp,price\n");
            foreach (var (hour, price) in Prices)
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{hour.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'},{price}\n"));
        }
        File.Move(partial, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// The forecast messages (retained, Nordpool's <c>raw_today</c>/<c>raw_tomorrow</c>): at the start today's
    /// prices, then every day at 13:00 today's and tomorrow's.
    /// </summary>
    public IEnumerable<TimedMessage> Forecast(string topic)
    {
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Prices.Keys[0], Zone).DateTime);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Prices.Keys[^1], Zone).DateTime);
        yield return new TimedMessage(Prices.Keys[0], topic, new JsonObject { ["raw_today"] = Day(first) }.ToJsonString(), Retain: true);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var payload = new JsonObject { ["raw_today"] = Day(day) };
            if (day < last) payload["raw_tomorrow"] = Day(day.AddDays(1));
            yield return new TimedMessage(At(day, new TimeOnly(13, 0)), topic, payload.ToJsonString(), Retain: true);
        }
    }

    /// <summary>The local instant of <paramref name="time"/> on <paramref name="day"/>.</summary>
    public DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    private JsonArray Day(DateOnly day)
    {
        var from = Midnight(day, Zone);
        var to = Midnight(day.AddDays(1), Zone);
        var slots = new JsonArray();
        for (var i = Prices.IndexOfKey(from); i >= 0 && i < Prices.Count && Prices.Keys[i] < to; i++)
        {
            var start = TimeZoneInfo.ConvertTime(Prices.Keys[i], Zone);
            slots.Add(new JsonObject
            {
                ["start"] = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                ["end"] = TimeZoneInfo.ConvertTime(Prices.Keys[i].AddHours(1), Zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                ["value"] = Prices.Values[i],
            });
        }
        return slots;
    }

    private static DateTimeOffset Midnight(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}

using System.Globalization;
using System.Text;

namespace BmwWallbox.Simulation.Tests.ExampleData;

/// <summary>
/// Generates the synthetic example days in examples/data (documented in examples/data/README.md).
/// Deterministic: its own pseudo-random generator with fixed seeds, values rounded to whole watts
/// and 0.1 ct. Regenerate with <c>REGENERATE_EXAMPLE_DATA=1 dotnet test tests/BmwWallbox.Simulation.Tests</c>.
/// </summary>
internal static class ExampleDayGenerator
{
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>File name → content.</summary>
    public static IReadOnlyDictionary<string, string> All() => new Dictionary<string, string>
    {
        ["sunny-day.csv"] = PowerDay(new DateOnly(2026, 6, 21), Sun.June, peakW: 7800, Sky.Clear, SundayLoads, seed: 1),
        ["cloudy-day.csv"] = PowerDay(new DateOnly(2026, 6, 24), Sun.June, peakW: 7800, Sky.PassingClouds, WeekdayLoads, seed: 2),
        ["winter-day.csv"] = PowerDay(new DateOnly(2026, 1, 15), Sun.January, peakW: 2300, Sky.Haze, WinterLoads, seed: 3),
        ["price-day.csv"] = PriceDay(new DateOnly(2026, 4, 15), seed: 4),
        ["overcast-day.csv"] = PowerDay(new DateOnly(2026, 10, 14), Sun.October, peakW: 5000, Sky.Haze, WeekdayLoads, seed: 5),
    };

    private sealed record Sun(double Sunrise, double Sunset)
    {
        // Berlin, local clock hours.
        public static readonly Sun June = new(4.72, 21.55);
        public static readonly Sun January = new(8.17, 16.40);
        public static readonly Sun April = new(6.40, 20.20);
        public static readonly Sun October = new(7.55, 18.45);
    }

    private enum Sky { Clear, PassingClouds, Haze, FewClouds }

    /// <summary>An appliance run: from a local hour for some minutes, optionally cycling on/off (thermostats).</summary>
    private sealed record Load(double StartHour, int Minutes, double Watts, int OnMinutes = 0, int OffMinutes = 0)
    {
        public double At(double hour)
        {
            var minute = (hour - StartHour) * 60;
            if (minute < 0 || minute >= Minutes) return 0;
            if (OnMinutes == 0) return Watts;
            return minute % (OnMinutes + OffMinutes) < OnMinutes ? Watts : 0;
        }
    }

    private static readonly Load[] Everyday =
    [
        new(6.80, 4, 2000),            // kettle
        new(7.00, 3, 900),             // toaster
        new(18.50, 270, 150),          // lights, TV
    ];

    private static readonly Load[] SundayLoads =
    [
        .. Everyday,
        new(10.00, 20, 2100), new(10.33, 70, 250), new(11.50, 10, 500), // washing machine: heat, wash, spin
        new(12.00, 40, 1800, 4, 2),    // cooking lunch
        new(15.50, 15, 1200),          // coffee and cake
        new(18.25, 35, 2200, 6, 3),    // oven
    ];

    private static readonly Load[] WeekdayLoads =
    [
        .. Everyday,
        new(12.25, 30, 1500, 3, 2),    // lunch
        new(18.00, 40, 2000, 5, 3),    // cooking
        new(20.50, 15, 2000), new(20.75, 70, 120), new(21.92, 10, 2000), // dishwasher
    ];

    private static readonly Load[] WinterLoads =
    [
        .. WeekdayLoads,
        new(6.50, 90, 180),            // morning lights
        new(16.25, 135, 200),          // evening lights before the everyday ones
        new(7.25, 15, 1800),           // hair dryer and heater in the bathroom
    ];

    private static string PowerDay(DateOnly date, Sun sun, double peakW, Sky sky, Load[] loads, int seed)
    {
        var random = new SplitMix(seed);
        var text = new StringBuilder("timestamp,solar_power,house_power\n");
        var clouds = new CloudCover(sky, random);
        var house = new HouseLoad(loads, random);
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            var hour = minute / 60.0;
            var solar = ClearSky(hour, sun, peakW) * clouds.Next(hour);
            text.Append(CultureInfo.InvariantCulture, $"{Stamp(date, minute)},{Math.Round(solar)},{Math.Round(house.At(hour))}\n");
        }
        return text.ToString();
    }

    /// <summary>5-minute power samples; a price every 15 minutes (empty cells between: no new value).</summary>
    private static string PriceDay(DateOnly date, int seed)
    {
        // EUR/kWh incl. grid fees and taxes, one per hour: cheap night, morning and evening peaks, solar dip at noon.
        double[] hourly =
        [
            0.262, 0.251, 0.243, 0.236, 0.239, 0.252, 0.288, 0.334, 0.352, 0.318, 0.289, 0.268,
            0.256, 0.249, 0.258, 0.274, 0.301, 0.341, 0.382, 0.396, 0.371, 0.327, 0.297, 0.276,
        ];
        var random = new SplitMix(seed);
        var text = new StringBuilder("timestamp,solar_power,house_power,price\n");
        var clouds = new CloudCover(Sky.FewClouds, random);
        var house = new HouseLoad(WeekdayLoads, random);
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            var hour = minute / 60.0;
            // Clouds and loads run every minute so their shapes match the 1-minute days; every 5th minute is written.
            var solar = ClearSky(hour, Sun.April, 6300) * clouds.Next(hour);
            var load = house.At(hour);
            if (minute % 5 != 0) continue;
            var price = "";
            if (minute % 15 == 0)
            {
                var h = minute / 60;
                var quarter = minute % 60 / 15;
                // Quarter-hour prices drift towards the next hour's, with a little noise.
                var value = hourly[h] + (hourly[(h + 1) % 24] - hourly[h]) * quarter / 8 + (random.Next() - 0.5) * 0.004;
                price = Math.Round(value, 4).ToString("0.0000", CultureInfo.InvariantCulture);
            }
            text.Append(CultureInfo.InvariantCulture, $"{Stamp(date, minute)},{Math.Round(solar)},{Math.Round(load)},{price}\n");
        }
        return text.ToString();
    }

    /// <summary>A PV roof under a clear sky: a bell over the day, 0 at night.</summary>
    private static double ClearSky(double hour, Sun sun, double peakW)
    {
        if (hour <= sun.Sunrise || hour >= sun.Sunset) return 0;
        var x = (hour - sun.Sunrise) / (sun.Sunset - sun.Sunrise);
        return peakW * Math.Pow(Math.Sin(Math.PI * x), 2);
    }

    private static string Stamp(DateOnly date, int minute)
    {
        var local = date.ToDateTime(TimeOnly.MinValue).AddMinutes(minute);
        return new DateTimeOffset(local, Berlin.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    /// <summary>Share of clear-sky power that gets through, minute by minute, with smooth edges.</summary>
    private sealed class CloudCover(Sky sky, SplitMix random)
    {
        private double _factor = 1;
        private double _target = 1;
        private int _left;
        private bool _cloud;

        public double Next(double hour)
        {
            if (--_left <= 0) NextSegment();
            _factor += (_target - _factor) * 0.5;
            return _factor * (1 + (random.Next() - 0.5) * 0.02);
        }

        private void NextSegment()
        {
            _cloud = !_cloud;
            (_left, _target) = sky switch
            {
                Sky.Clear => (60, 1.0),
                Sky.Haze => (random.Int(20, 90), 0.82 + random.Next() * 0.18),
                Sky.PassingClouds => _cloud ? (random.Int(5, 40), 0.15 + random.Next() * 0.25) : (random.Int(2, 20), 1.0),
                Sky.FewClouds => _cloud ? (random.Int(3, 12), 0.3 + random.Next() * 0.3) : (random.Int(20, 90), 1.0),
                _ => throw new ArgumentOutOfRangeException(nameof(sky)),
            };
        }
    }

    /// <summary>Base load with a cycling fridge and a little noise, plus the appliances.</summary>
    private sealed class HouseLoad(Load[] loads, SplitMix random)
    {
        private readonly double _base = 330 + random.Next() * 120;

        public double At(double hour)
        {
            var minute = (int)Math.Round(hour * 60);
            var fridge = minute % 40 < 12 ? 90 : 0;
            var noise = (random.Next() + random.Next() + random.Next() - 1.5) * 30;
            return _base + fridge + noise + loads.Sum(l => l.At(hour));
        }
    }

    /// <summary>SplitMix64: tiny, well-known and the same on every platform and .NET version.</summary>
    private sealed class SplitMix(ulong seed)
    {
        private ulong _state = seed;

        public SplitMix(int seed) : this((ulong)seed) { }

        /// <summary>Uniform in [0, 1).</summary>
        public double Next()
        {
            var z = _state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }

        public int Int(int min, int max) => min + (int)(Next() * (max - min + 1));
    }
}

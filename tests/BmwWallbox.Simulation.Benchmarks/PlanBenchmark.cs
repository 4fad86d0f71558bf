using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using BmwWallbox.Charging;
using BmwWallbox.Charging.Strategies;
using BmwWallbox.Core;
using BmwWallbox.Planning;
using BmwWallbox.Rules.Engine;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Simulation.Benchmarks;

/// <summary>
/// The planner over a synthetic year (<see cref="PriceYear"/>) through <c>simulate</c> in mode plan: the car is
/// plugged in 18:00–07:00 every night; most evenings at 17:00 a target "N kWh by 07:00" arrives (as set/plan
/// would), some nights only at 03:00 (a late decision), a few of those more than 4 h at full power can give
/// (infeasible: the planner must say so and charge at full power). The price forecast arrives as the daemon
/// receives it: Nordpool's shape over MQTT, tomorrow's prices at 13:00. Per night it compares what the car paid
/// with the cheapest schedule for the same energy in the same window (full power in the cheapest hours).
/// </summary>
internal static class PlanBenchmark
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly bool Detail = Environment.GetEnvironmentVariable("PLAN_BENCH_DETAIL") == "1";
    private const string ForecastTopic = "home/energy/price_forecast";
    private const string TargetTopic = "bench/garage/target";
    private static readonly TimeOnly PlugIn = new(18, 0), Departure = new(7, 0);
    /// <summary>16 A × 230 V × 3 phases: the station's and the car's most.</summary>
    private const double MaxPowerW = 16 * 230 * 3;

    private sealed record Night(DateOnly Day, double TargetKwh, DateTimeOffset SetAt, DateTimeOffset PlugIn, DateTimeOffset From, DateTimeOffset Deadline)
    {
        public bool Feasible => TargetKwh <= MaxPowerW / 1000 * (Deadline - From).TotalHours;
    }

    public static async Task RunAsync()
    {
        var prices = PriceYear.Create(Berlin);
        var nights = Nights(prices);
        var messages = prices.Forecast(ForecastTopic).Concat(nights.SelectMany(n => new[]
        {
            new TimedMessage(n.SetAt, TargetTopic, string.Create(CultureInfo.InvariantCulture, $"{n.TargetKwh:0.#}kWh@07:00")),
            new TimedMessage(n.Deadline.AddMinutes(5), TargetTopic, "clear"),
        })).ToList();

        var work = Directory.CreateTempSubdirectory("bmw-rules-plan-bench-").FullName;
        var planLog = new PlanLog();
        try
        {
            var rules = Path.Combine(work, "rules");
            Directory.CreateDirectory(rules);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Rules", "plan-target.yaml"), Path.Combine(rules, "plan-target.yaml"));
            var setup = new SimulationSetup
            {
                Rules = new RulesOptions { Dir = rules },
                Signals = [new SignalDefinition("price", TimeSpan.FromHours(2))],
                TimeZone = Berlin,
                Modes = new ModeOptions { Mode = "plan" },
                Plan = new PlanOptions { PriceForecastTopic = ForecastTopic },
                Messages = messages,
                Car = new CarOptions { PlugIn = PlugIn, Departure = Departure },
                // As configured for an 11 kW box (the shipped config's 32 A would plan twice the power the car takes).
                Wallbox = new WallboxOptions { MaxCurrent = 16 },
            };
            var data = prices.WriteCsv();
            using var reader = SignalCsvReader.Open(data, Berlin);
            var watch = Stopwatch.StartNew();
            var result = await SimulationRunner.RunAsync(setup, reader, Path.Combine(work, "out"), "plan year",
                loggers: _ => LoggerFactory.Create(b => b.AddProvider(planLog)));
            var took = watch.Elapsed;
            Report(nights, Hours(result.TimelinePath), planLog, took);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Every night: 17:00 targets of 5–60 kWh; one night in eight only at 03:00 with 10–60 kWh (some infeasible).</summary>
    private static List<Night> Nights(PriceYear prices)
    {
        var random = new Random(7);
        var nights = new List<Night>();
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(prices.Prices.Keys[0], Berlin).DateTime);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(prices.Prices.Keys[^1], Berlin).DateTime);
        for (var day = first; day < last; day = day.AddDays(1))
        {
            var late = random.NextDouble() < 0.125;
            var kwh = Math.Round(late ? 10 + 50 * random.NextDouble() : 5 + 55 * random.NextDouble(), 1);
            var setAt = late ? prices.At(day.AddDays(1), new TimeOnly(3, 0)) : prices.At(day, new TimeOnly(17, 0));
            var plugIn = prices.At(day, PlugIn);
            nights.Add(new Night(day, kwh, setAt, plugIn, setAt > plugIn ? setAt : plugIn, prices.At(day.AddDays(1), Departure)));
        }
        return nights;
    }

    /// <summary>Per hour of timeline.csv: its start, the car's energy and the price.</summary>
    private static List<(DateTimeOffset Start, double CarKwh, double Price)> Hours(string timeline)
    {
        var rows = new List<(DateTimeOffset, double, double)>();
        using var lines = new StreamReader(timeline);
        var header = lines.ReadLine()!.Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var (time, car, price) = (Column("time"), Column("car_w"), Column("price"));
        DateTimeOffset? previous = null;
        double previousW = 0, previousPrice = 0;
        while (lines.ReadLine() is { } line)
        {
            var cells = line.Split(',');
            var at = DateTimeOffset.Parse(cells[time], CultureInfo.InvariantCulture);
            if (previous is { } p) rows.Add((p, previousW * (at - p).TotalHours / 1000, previousPrice));
            (previous, previousW, previousPrice) = (at, double.Parse(cells[car], CultureInfo.InvariantCulture), double.Parse(cells[price], CultureInfo.InvariantCulture));
        }
        if (previous is { } last) rows.Add((last, previousW / 1000, previousPrice));
        return rows;
    }

    private static void Report(List<Night> nights, List<(DateTimeOffset Start, double CarKwh, double Price)> hours, PlanLog log, TimeSpan took)
    {
        double paid = 0, cheapest = 0, energy = 0, worst = 0;
        var feasible = 0;
        var met = 0;
        var missed = new List<string>();
        var infeasible = new List<string>();
        foreach (var n in nights)
        {
            var window = hours.Where(h => h.Start >= n.From && h.Start < n.Deadline).ToList();
            // Everything the car took that night (before a late target it waits: plan mode without a target draws nothing).
            var kwh = hours.Where(h => h.Start >= n.PlugIn && h.Start < n.Deadline).Sum(h => h.CarKwh);
            var cost = window.Sum(h => h.CarKwh * h.Price);
            if (!n.Feasible)
            {
                infeasible.Add(string.Create(CultureInfo.InvariantCulture, $"{n.Day:MM-dd} {n.TargetKwh:0.#} kWh from {TimeZoneInfo.ConvertTime(n.From, Berlin):HH:mm}: charged {kwh:0.0} of at most {MaxPowerW / 1000 * (n.Deadline - n.From).TotalHours:0.0}"));
                continue;
            }
            feasible++;
            if (kwh >= n.TargetKwh - ChargePlanner.ReachedToleranceKwh - 0.01) met++;
            else missed.Add(string.Create(CultureInfo.InvariantCulture, $"{n.Day:MM-dd} {n.TargetKwh:0.#} kWh: {kwh:0.00}"));
            var best = Cheapest(window.Select(h => h.Price).ToList(), kwh);
            paid += cost;
            cheapest += best;
            energy += kwh;
            if (best > 0) worst = Math.Max(worst, cost / best - 1);
            if (Detail && best > 0 && cost / best - 1 > 0.03)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {n.Day:MM-dd} {n.TargetKwh} kWh set {TimeZoneInfo.ConvertTime(n.SetAt, Berlin):HH:mm}: {100 * (cost / best - 1):0.0} % above: ")
                    + string.Join(" ", window.Select(h => string.Create(CultureInfo.InvariantCulture, $"{TimeZoneInfo.ConvertTime(h.Start, Berlin):HH}:{h.Price:0.000}/{h.CarKwh:0.0}"))));
        }
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"Planner, synthetic price year ({nights.Count} nights, car 18:00–07:00, simulate took {took.TotalSeconds:0.0} s):"));
        Console.WriteLine(string.Create(c, $"  feasible nights: {feasible}, target met on {met}{(missed.Count > 0 ? $" (missed: {string.Join("; ", missed.Take(10))})" : "")}"));
        Console.WriteLine(string.Create(c, $"  charged {energy:0} kWh for {paid:0.00} EUR = {paid / energy:0.0000} EUR/kWh; the cheapest schedule for the same energy per night: {cheapest / energy:0.0000} EUR/kWh"));
        Console.WriteLine(string.Create(c, $"  above the cheapest: {100 * (paid / cheapest - 1):0.00} % over the year, {100 * worst:0.00} % on the worst night"));
        Console.WriteLine(string.Create(c, $"  infeasible nights (not counted above): {infeasible.Count}; the planner said 'cannot reach' {log.CannotReach} times"));
        foreach (var line in infeasible) Console.WriteLine("    " + line);
        foreach (var warning in log.Warnings.Take(5)) Console.WriteLine("  warning: " + warning);
    }

    /// <summary>The cheapest cost of <paramref name="kwh"/> in these hours at full power: the cheapest hours first.</summary>
    private static double Cheapest(List<double> prices, double kwh)
    {
        var cost = 0.0;
        foreach (var price in prices.Order())
        {
            if (kwh <= 0) break;
            var take = Math.Min(kwh, MaxPowerW / 1000);
            cost += take * price;
            kwh -= take;
        }
        return cost;
    }

    /// <summary>Counts the planner's "cannot reach" log lines; every other log line is off (costs nothing).</summary>
    private sealed class PlanLog : ILoggerProvider, ILogger
    {
        private int _cannotReach;
        public int CannotReach => _cannotReach;
        public readonly ConcurrentQueue<string> Warnings = new();

        public ILogger CreateLogger(string categoryName) => categoryName.EndsWith(".ChargePlans", StringComparison.Ordinal) || categoryName.Contains("Rule", StringComparison.Ordinal) ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception);
            if (Detail && text.Contains("cannot", StringComparison.Ordinal)) Console.WriteLine("  log: " + text);
            if (text.Contains("cannot reach", StringComparison.Ordinal) && text.Contains("set by rule", StringComparison.Ordinal)) Interlocked.Increment(ref _cannotReach);
            if (logLevel >= LogLevel.Warning) Warnings.Enqueue(text);
        }

        public void Dispose() { }
    }
}

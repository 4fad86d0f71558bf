using System.Globalization;
using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Planning;
using BmwWallbox.TestKit.Logging;
using Xunit.Abstractions;

namespace BmwWallbox.Planning.Tests;

/// <summary>
/// The README's figure: on examples/data/price-day.csv, what a plan costs per kWh when followed minute by
/// minute (through <see cref="ChargePlans"/>, its forecast parsed from the Nordpool shape, re-planning
/// included) against the cheapest any schedule could pay for the same energy in the same window at 11 kW.
/// The target of issue 12 is within 3 %; the figures are printed for the README.
/// </summary>
public sealed class PriceDayBenchmark(ITestOutputHelper output)
{
    private const string Id = "BMW-001";
    private const string Name = "garage";
    private const double WattsPerAmp = 690; // 230 V × 3 phases
    private const double MaxW = 16 * WattsPerAmp;
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private sealed record Sample(DateTimeOffset At, double Price, double SurplusW);

    /// <summary>The 5-minute rows; an empty price cell holds the previous price.</summary>
    private static List<Sample> Day()
    {
        var rows = new List<Sample>();
        var price = double.NaN;
        foreach (var line in File.ReadLines(RepoPaths.Of("examples/data/price-day.csv")).Skip(1))
        {
            var cells = line.Split(',');
            if (cells[3].Length > 0) price = double.Parse(cells[3], CultureInfo.InvariantCulture);
            var surplus = double.Parse(cells[1], CultureInfo.InvariantCulture) - double.Parse(cells[2], CultureInfo.InvariantCulture);
            rows.Add(new Sample(DateTimeOffset.Parse(cells[0], CultureInfo.InvariantCulture), price, Math.Max(0, surplus)));
        }
        return rows;
    }

    private static Sample At(List<Sample> day, DateTimeOffset t) => day.Last(s => s.At <= t);

    /// <summary>The day's quarter-hour prices as Nordpool's Home Assistant sensor publishes them.</summary>
    private static string NordpoolForecast(List<Sample> day)
    {
        var quarters = day.Where(s => s.At.Minute % 15 == 0)
            .Select(s => new { start = s.At.ToString("O"), end = s.At.AddMinutes(15).ToString("O"), value = s.Price });
        return JsonSerializer.Serialize(new { attributes = new { raw_today = quarters, raw_tomorrow = Array.Empty<object>() } });
    }

    /// <summary>A solar forecast of the day's surplus, quarter-hourly means, as a list of {start, end, watts}.</summary>
    private static string SolarForecast(List<Sample> day)
        => JsonSerializer.Serialize(day.GroupBy(s => s.At.AddMinutes(-(s.At.Minute % 15)))
            .Select(g => new { start = g.Key.ToString("O"), end = g.Key.AddMinutes(15).ToString("O"), watts = g.Average(s => s.SurplusW) }));

    private sealed record Outcome(double Kwh, double Cost, double CheapestCost)
    {
        public double CostPerKwh => Cost / Kwh;
        public double CheapestPerKwh => CheapestCost / Kwh;
        public double Ratio => Cost / CheapestCost;
    }

    /// <summary>Follows the plan minute by minute from <paramref name="from"/> to the deadline; the car takes what the step says.</summary>
    /// <param name="carShare">The share of the step's power the car really takes (below 1: it falls behind and the plan re-plans).</param>
    private static Outcome Run(List<Sample> day, TimeOnly from, TimeOnly by, double kwh, bool solar, double carShare = 1)
    {
        var start = new DateTimeOffset(2026, 4, 15, from.Hour, from.Minute, 0, TimeSpan.FromHours(2));
        var clock = new ManualClock(start);
        var states = new SettableWallboxStates();
        var meterWh = 1_000_000.0;
        states.Set(PlanStates.Plugged(Id, Name, meterWh));
        var bus = new InMemoryMessageBus();
        var options = new PlanOptions { PriceForecastTopic = "prices", SolarForecastTopic = solar ? "solar" : "" };
        using var plans = new ChargePlans(options, [new PlanStation(Id, Name, 6, 16, WattsPerAmp)], states, Berlin, clock, new TestLogs().CreateLogger("plan"));
        plans.Start(bus, new SignalStore([], clock));
        bus.PublishAsync("prices", NordpoolForecast(day));
        if (solar) bus.PublishAsync("solar", SolarForecast(day));
        Assert.True(plans.SetTarget(Name, new PlanTarget(kwh, null, by), "benchmark").Ok);

        var deadline = plans.PlanOf(Name)!.Deadline;
        double energy = 0, cost = 0;
        for (var t = start; t < deadline; t = t.AddMinutes(1))
        {
            clock.SetUtcNow(t);
            var step = plans.StepAt(Id, t)!;
            var powerW = Math.Min(step.Amps * WattsPerAmp, MaxW) * carShare;
            var sample = At(day, t);
            var stepKwh = powerW / 60 / 1000;
            var solarKwh = solar ? Math.Min(powerW, sample.SurplusW) / 60 / 1000 : 0;
            energy += stepKwh;
            cost += (stepKwh - solarKwh) * sample.Price;
            meterWh += stepKwh * 1000;
            states.Set(PlanStates.Plugged(Id, Name, meterWh, powerW: powerW));
        }
        return new Outcome(energy, cost, Cheapest(day, start, deadline, energy, solar, MaxW * carShare));
    }

    /// <summary>The least any schedule pays for <paramref name="kwh"/> in the window: free surplus first, then the cheapest minutes, at up to what the car takes (no minimum power: a lower bound).</summary>
    private static double Cheapest(List<Sample> day, DateTimeOffset from, DateTimeOffset to, double kwh, bool solar, double maxW)
    {
        var layers = new List<(double Price, double Kwh)>();
        for (var t = from; t < to; t = t.AddMinutes(1))
        {
            var s = At(day, t);
            var free = solar ? Math.Min(s.SurplusW, maxW) : 0;
            layers.Add((0, free / 60 / 1000));
            layers.Add((s.Price, (maxW - free) / 60 / 1000));
        }
        double left = kwh, cost = 0;
        foreach (var (price, capacity) in layers.OrderBy(l => l.Price))
        {
            var take = Math.Min(capacity, left);
            cost += take * price;
            left -= take;
            if (left <= 1e-9) break;
        }
        return cost;
    }

    [Theory]
    [InlineData("00:00", "07:00", 10, 1)]
    [InlineData("00:00", "07:00", 30, 1)]
    [InlineData("00:00", "07:00", 60, 1)]
    [InlineData("08:00", "17:00", 20, 1)]
    [InlineData("00:00", "23:45", 40, 1)]
    [InlineData("00:00", "07:00", 30, 0.85)]
    [InlineData("00:00", "23:45", 40, 0.7)]
    public void A_followed_plan_costs_within_3_percent_of_the_cheapest_for_the_same_energy(string from, string by, double kwh, double carShare)
    {
        var outcome = Run(Day(), TimeOnly.Parse(from, CultureInfo.InvariantCulture), TimeOnly.Parse(by, CultureInfo.InvariantCulture), kwh, solar: false, carShare);
        output.WriteLine($"{from}–{by} {kwh} kWh, car takes {carShare:P0} of the step: charged {outcome.Kwh:0.00} kWh at {outcome.CostPerKwh:0.0000} EUR/kWh; cheapest {outcome.CheapestPerKwh:0.0000}; {100 * (outcome.Ratio - 1):0.00} % above");
        Assert.True(outcome.Kwh >= kwh - ChargePlanner.ReachedToleranceKwh, $"target missed: {outcome.Kwh:0.00} of {kwh} kWh");
        Assert.True(outcome.Ratio <= 1.03, $"{100 * (outcome.Ratio - 1):0.00} % above the cheapest");
    }

    [Fact]
    public void With_a_solar_forecast_the_day_charge_uses_the_surplus()
    {
        var grid = Run(Day(), new TimeOnly(8, 0), new TimeOnly(17, 0), 20, solar: false);
        var withSolar = Run(Day(), new TimeOnly(8, 0), new TimeOnly(17, 0), 20, solar: true);
        output.WriteLine($"08:00–17:00 20 kWh, grid prices only: {grid.CostPerKwh:0.0000} EUR/kWh; with the solar forecast (solar free): "
            + $"{withSolar.CostPerKwh:0.0000} EUR/kWh, lower bound {withSolar.CheapestPerKwh:0.0000}");
        Assert.True(withSolar.Kwh >= 20 - ChargePlanner.ReachedToleranceKwh);
        Assert.True(withSolar.Cost < grid.Cost * 0.8, $"solar forecast saved too little: {withSolar.Cost:0.00} vs {grid.Cost:0.00} EUR");
    }
}

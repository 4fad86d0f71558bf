using System.Globalization;
using BmwWallbox.Charging.Strategies;
using BmwWallbox.Core;

namespace BmwWallbox.Simulation.Tests.Runs;

/// <summary>
/// The run's solar is counted on the optimum's basis: inside a sample the car's power changes (a start, a pause),
/// and each interval of constant power is split into solar and grid against the surplus that held then. Counted
/// from the sample's average car power, a pause a minute into a 5-minute sample made that minute at the minimum
/// current all solar, and the price day showed "101 % of optimum".
/// </summary>
public sealed class IntervalAccountingRunTests
{
    [Fact]
    public async Task A_pause_inside_a_five_minute_sample_counts_its_minute_from_the_grid_and_the_run_stays_within_the_optimum()
    {
        using var h = new SimulationHarness();
        // 08:00–12:00 a surplus of exactly 8.6 A on three phases (5934 W), then 1 kW for one sample, then none: the solar mode
        // charges from the surplus, and at 12:00 holds on for its disable delay before it pauses, a minute into the sample.
        var rows = new List<string> { "timestamp,solar_power,house_power" };
        for (var minute = 0; minute < 24 * 60; minute += 5)
        {
            var at = new DateTimeOffset(2026, 6, 21, 0, 0, 0, TimeSpan.FromHours(2)).AddMinutes(minute);
            var solar = minute switch { >= 8 * 60 and < 12 * 60 => 6334, >= 12 * 60 and < 12 * 60 + 5 => 1400, _ => 0 };
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"{at:yyyy-MM-dd'T'HH:mm:sszzz},{solar},400"));
        }
        var data = Path.Combine(h.RulesDir, "..", "step-down.csv");
        await File.WriteAllLinesAsync(data, rows);
        var setup = h.Setup() with
        {
            Modes = new ModeOptions { Mode = "solar" },
            DerivedSignals = [new DerivedSignalDefinition("surplus", SignalExpression.Parse("-grid_power + charger_power"))],
        };

        var result = await h.RunFileAsync(data, setup);

        var summary = result.Summary;
        var optimum = summary.Optimum!;
        Assert.True(summary.Pauses >= 1, "the solar mode paused when the surplus went");
        Assert.True(optimum.SolarAtSameGridPercent <= 100, $"{optimum.SolarAtSameGridPercent} % of the optimum");
        Assert.True(optimum.CarGridKwh > 0.02, $"the minute at the held current took {optimum.CarGridKwh} kWh from the grid");

        // The same run counted the old way, from each sample's average car power: the held minute counts as solar, and the
        // run seems to beat every schedule with its grid energy.
        var old = new OptimumBuilder(OptimumLimits.Of(setup));
        var oldSummary = new SimulationSummaryBuilder();
        foreach (var row in h.Rows())
        {
            var step = new SimulationStep(row.Time, TimeSpan.FromMinutes(5), row.LimitA, row.Source, new PowerBalance(row.SolarW, row.HouseW, row.CarW),
                null, row.Time.Hour is >= 6 and < 15); // 08:00–17:00 Berlin, in UTC
            old.Add(step);
            oldSummary.Add(step);
        }
        var oldPercent = old.Build(oldSummary.Build())!.SolarAtSameGridPercent;
        Assert.True(oldPercent > 100, $"counted from the average, the run was {oldPercent} % of the optimum");
        Assert.True(summary.ChargedFromSolarKwh < oldSummary.Build().ChargedFromSolarKwh - 0.01,
            $"solar {summary.ChargedFromSolarKwh} kWh, counted from the average {oldSummary.Build().ChargedFromSolarKwh} kWh");
    }
}

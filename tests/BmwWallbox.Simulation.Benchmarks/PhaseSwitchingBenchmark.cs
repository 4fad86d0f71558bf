using System.Diagnostics;
using System.Globalization;
using BmwWallbox.SimulatedBox;

namespace BmwWallbox.Simulation.Benchmarks;

/// <summary>
/// Phase switching (issue 12): the built-in solar mode on a box that switches 1 ↔ 3 phases against the same mode on
/// the BMW-like box that cannot and on a box that says it can but refuses, on every example day (the overcast day is
/// the low-surplus one) and the synthetic year. The target: more solar than the best three-phase-only schedule (the
/// optimum whose minimum is 6 A on three phases, with the switching run's grid energy), ≥ 95 % of the optimum and
/// few cycles (a switch counts as one). Prints a Markdown table for the README, then one row per box.
/// </summary>
internal static class PhaseSwitchingBenchmark
{
    /// <summary>The solar mode on a box that reports SmartChargingCtrlr.Phases3to1 and honours numberPhases.</summary>
    internal static readonly SolarBenchmark.Variant Switching = new("mode solar with phase switching (switching box)", [],
        s => SolarModeOn(s, PhaseSwitchingBehaviour.Switches));

    private static readonly SolarBenchmark.Variant Fixed = new("mode solar (built in, no rule)", [],
        s => SolarModeOn(s, PhaseSwitchingBehaviour.None));

    private static readonly SolarBenchmark.Variant Refusing = new("mode solar on a box that refuses numberPhases", [],
        s => SolarModeOn(s, PhaseSwitchingBehaviour.Refuses));

    private static SimulationSetup SolarModeOn(SimulationSetup s, PhaseSwitchingBehaviour box)
        => SolarBenchmark.SolarMode(s) with { Hardware = s.Hardware with { PhaseSwitching = box } };

    /// <param name="withYear">Also the synthetic year.</param>
    /// <param name="switchingOnly">Only the switching box (while tuning: the other two do not switch).</param>
    /// <param name="only">Only the data sets whose name contains this.</param>
    public static async Task RunAsync(bool withYear, bool switchingOnly = false, string? only = null)
    {
        var datasets = SolarBenchmark.Datasets(withYear).Where(d => only is null || d.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToList();
        var rows = new List<string>();
        Console.WriteLine("| data | 3-phase box: solar kWh | best 3-phase-only schedule, same grid: solar kWh | switching box: solar kWh | car grid kWh | cycles / plugged day | switches / plugged day | % of optimum (same grid) | time |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, path) in datasets)
        {
            var watch = Stopwatch.StartNew();
            var switched = await SolarBenchmark.RunOneAsync(path, Switching);
            var threeOnly = switchingOnly ? null : await SolarBenchmark.RunOneAsync(path, Fixed);
            var refused = switchingOnly ? null : await SolarBenchmark.RunOneAsync(path, Refusing);
            var o = switched.Optimum;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {threeOnly?.ChargedFromSolarKwh:0.0} | {o?.FixedPhasesSolarAtSameGridKwh:0.0} | {switched.ChargedFromSolarKwh:0.0} | {o?.CarGridKwh:0.0} | "
                + $"{PerDay(switched, switched.PauseResumeCycles):0.0} | {PerDay(switched, switched.PhaseSwitches):0.0} | {o?.SolarAtSameGridPercent:0} % | {watch.Elapsed.TotalSeconds:0.0} s |"));
            rows.Add(Row(name, "switching", switched));
            if (threeOnly is not null) rows.Add(Row(name, "3-phase (no switching)", threeOnly));
            if (refused is not null) rows.Add(Row(name, "refuses numberPhases", refused));
        }
        Console.WriteLine();
        Console.WriteLine("| data | box | solar kWh | car grid kWh | pause/resume cycles / plugged day | + switches / plugged day | % of optimum (same grid) |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in rows) Console.WriteLine(row);
    }

    private static double PerDay(SimulationSummary s, int count) => s.Sessions > 0 ? (double)count / s.Sessions : 0;

    private static string Row(string data, string box, SimulationSummary s) => string.Create(CultureInfo.InvariantCulture,
        $"| {data} | {box} | {s.ChargedFromSolarKwh:0.0} | {s.Optimum?.CarGridKwh:0.0} | {PerDay(s, s.PauseResumeCycles):0.00} | {PerDay(s, s.PauseResumeCycles + s.PhaseSwitches):0.00} | {s.Optimum?.SolarAtSameGridPercent:0.0} % |");
}

using System.Diagnostics;
using System.Globalization;
using BmwWallbox.SimulatedBox;

namespace BmwWallbox.Simulation.Benchmarks;

/// <summary>
/// Phase switching (issue 12): the built-in solar mode on a box that switches 1 ↔ 3 phases against the same mode on
/// the BMW-like box that cannot, on every example day (the overcast day is the low-surplus one) and the synthetic year.
/// The target: more solar than the best three-phase-only schedule (the optimum whose minimum is 6 A on three phases,
/// with the switching run's grid energy). Prints a Markdown table for the README.
/// </summary>
internal static class PhaseSwitchingBenchmark
{
    /// <summary>The solar mode on a box that reports SmartChargingCtrlr.Phases3to1 and honours numberPhases.</summary>
    internal static readonly SolarBenchmark.Variant Switching = new("mode solar with phase switching (switching box)", [],
        s => SolarModeOn(s, PhaseSwitchingBehaviour.Switches));

    private static readonly SolarBenchmark.Variant Fixed = new("mode solar (built in, no rule)", [],
        s => SolarModeOn(s, PhaseSwitchingBehaviour.None));

    private static SimulationSetup SolarModeOn(SimulationSetup s, PhaseSwitchingBehaviour box)
        => SolarBenchmark.SolarMode(s) with { Hardware = s.Hardware with { PhaseSwitching = box } };

    public static async Task RunAsync(bool withYear)
    {
        var datasets = SolarBenchmark.Datasets(withYear);
        Console.WriteLine("| data | 3-phase box: solar kWh | best 3-phase-only schedule, same grid: solar kWh | switching box: solar kWh | car grid kWh | cycles / plugged day | switches / plugged day | % of optimum (same grid) | time |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, path) in datasets)
        {
            var watch = Stopwatch.StartNew();
            var threeOnly = await SolarBenchmark.RunOneAsync(path, Fixed);
            var switched = await SolarBenchmark.RunOneAsync(path, Switching);
            var o = switched.Optimum;
            double PerDay(int count) => switched.Sessions > 0 ? (double)count / switched.Sessions : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {threeOnly.ChargedFromSolarKwh:0.0} | {o?.FixedPhasesSolarAtSameGridKwh:0.0} | {switched.ChargedFromSolarKwh:0.0} | {o?.CarGridKwh:0.0} | "
                + $"{PerDay(switched.PauseResumeCycles):0.0} | {PerDay(switched.PhaseSwitches):0.0} | {o?.SolarAtSameGridPercent:0} % | {watch.Elapsed.TotalSeconds:0.0} s |"));
        }
    }
}

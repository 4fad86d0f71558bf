using System.Diagnostics;
using System.Globalization;
using BmwWallbox.Charging.Strategies;
using BmwWallbox.Core;
using BmwWallbox.Rules.Engine;

namespace BmwWallbox.Simulation.Benchmarks;

/// <summary>
/// How good solar charging is: each strategy on every example day and a synthetic year, against the
/// perfect-foresight optimum simulate computes. Prints a Markdown table (for the README): solar kWh,
/// the car's grid kWh, pause/resume cycles per plugged-in day, solar in % of the most any schedule gets
/// with the same grid energy, and in % of the most the car could take.
/// </summary>
internal static class SolarBenchmark
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>A strategy: rule files (examples/rules/… or this project's Rules/…) and any change to the setup.</summary>
    internal sealed record Variant(string Name, IReadOnlyList<string> RuleFiles, Func<SimulationSetup, SimulationSetup>? Adjust = null);

    /// <summary>The strategies compared: the shipped examples, the evcc reference, and the built-in solar mode with no rule.</summary>
    internal static readonly Variant[] Variants =
    [
        new("solar-surplus.yaml (shipped example)", [Example("solar-surplus.yaml")]),
        new("solar-pause.yaml (shipped example)", [Example("solar-pause.yaml")]),
        new("evcc PV mode (reference rule set)", [Path.Combine(AppContext.BaseDirectory, "Rules", "evcc-pv.yaml")]),
        new("mode solar (built in, no rule)", [], SolarMode),
        new("mode solar with evcc's settings", [], s => SolarMode(s) with { Modes = ModeOptions.Evcc with { Mode = "solar" } }),
        PhaseSwitchingBenchmark.Switching,
    ];

    /// <summary>The shipped config's way: charging.mode solar, the surplus derived from the grid meter.</summary>
    internal static SimulationSetup SolarMode(SimulationSetup s) => s with
    {
        Modes = new ModeOptions { Mode = "solar" },
        DerivedSignals = [new DerivedSignalDefinition("surplus", SignalExpression.Parse("-grid_power + charger_power"))],
    };

    public static async Task RunAsync(bool withYear, string? only)
    {
        var datasets = Datasets(withYear);

        Console.WriteLine("| data | strategy | solar kWh | car grid kWh | cycles / plugged day | % of optimum (same grid) | % of most solar | time |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, path) in datasets)
        foreach (var variant in Variants.Where(v => only is null || v.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
        {
            var watch = Stopwatch.StartNew();
            var summary = await RunOneAsync(path, variant);
            var o = summary.Optimum;
            var cycles = summary.Sessions > 0 ? (double)summary.PauseResumeCycles / summary.Sessions : 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {variant.Name} | {summary.ChargedFromSolarKwh:0.0} | {o?.CarGridKwh:0.0} | {cycles:0.0} | {o?.SolarAtSameGridPercent:0} % | {o?.SolarPercent:0} % | {watch.Elapsed.TotalSeconds:0.0} s |"));
        }
    }

    /// <summary>Every example day (examples/data/*.csv), and the synthetic year when asked.</summary>
    internal static List<(string Name, string Path)> Datasets(bool withYear)
    {
        var days = Directory.GetFiles(Path.Combine(RepoPaths.Root, "examples", "data"), "*.csv").Order(StringComparer.Ordinal).ToList();
        var datasets = days.Select(d => (Name: Path.GetFileName(d), Path: d)).ToList();
        if (withYear) datasets.Add(("synthetic year", SyntheticYear.Write(Berlin)));
        return datasets;
    }

    public static async Task HuntAsync(int times, string data, string rules)
    {
        var variant = new Variant(rules, [rules], s => s with { StallLimit = TimeSpan.FromSeconds(20) });
        for (var i = 1; i <= times; i++)
        {
            try
            {
                await RunOneAsync(data, variant);
                Console.WriteLine($"run {i}: done");
            }
            catch (SimulationStuckException e)
            {
                Console.WriteLine($"run {i}: {e.Message}");
                return;
            }
        }
    }

    internal static async Task<SimulationSummary> RunOneAsync(string data, Variant variant)
    {
        var work = Directory.CreateTempSubdirectory("bmw-rules-solar-bench-").FullName;
        try
        {
            var rules = Path.Combine(work, "rules");
            Directory.CreateDirectory(rules);
            foreach (var file in variant.RuleFiles) File.Copy(file, Path.Combine(rules, Path.GetFileName(file)));
            var setup = new SimulationSetup
            {
                Rules = new RulesOptions { Dir = rules },
                Signals = [new SignalDefinition("solar_power", TimeSpan.FromMinutes(5)), new SignalDefinition("grid_power", TimeSpan.FromMinutes(5)), new SignalDefinition("price", TimeSpan.FromHours(2))],
                TimeZone = Berlin,
            };
            setup = variant.Adjust?.Invoke(setup) ?? setup;
            using (var check = SignalCsvReader.Open(data, Berlin))
                (setup, _) = SampleHold.Apply(setup, check.Columns, SampleIntervals.Measure(check.ReadSamples(), check.Columns.Count), Path.GetFileName(data));
            using var reader = SignalCsvReader.Open(data, Berlin);
            var result = await SimulationRunner.RunAsync(setup, reader, Path.Combine(work, "out"), variant.Name);
            return result.Summary;
        }
        finally
        {
            // BENCH_KEEP=DIR keeps each run's timeline.csv, summary.json and chart in DIR/<data>-<strategy> (to see why a figure is what it is).
            if (Environment.GetEnvironmentVariable("BENCH_KEEP") is { } keep)
            {
                var target = Path.Combine(keep, Path.GetFileNameWithoutExtension(data) + "-" + new string(variant.Name.Where(char.IsLetterOrDigit).ToArray()));
                Directory.CreateDirectory(keep);
                if (Directory.Exists(target)) Directory.Delete(target, true);
                Directory.Move(Path.Combine(work, "out"), target);
            }
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Example(string file) => Path.Combine(RepoPaths.Root, "examples", "rules", file);
}

using System.Diagnostics;
using BenchmarkDotNet.Running;
using BmwWallbox.Simulation.Benchmarks;

// "--once [rules.yaml]": one timed run without BenchmarkDotNet, for a quick look.
if (args is ["--once", .. var rest])
{
    var bench = new YearBenchmark { Rules = rest.FirstOrDefault() ?? "solar-pause.yaml" };
    bench.Setup();
    var watch = Stopwatch.StartNew();
    var kwh = await bench.SimulateYear();
    Console.WriteLine($"{bench.Rules}: a year in {watch.Elapsed.TotalSeconds:0.0} s, charged {kwh} kWh");
    bench.Cleanup();
    return;
}
// "--solar [--year] [variant]": solar strategies against the optimum on the example days (and a synthetic year).
if (args is ["--solar", .. var options])
{
    await SolarBenchmark.RunAsync(options.Contains("--year"), options.FirstOrDefault(o => !o.StartsWith("--", StringComparison.Ordinal)));
    return;
}
// "--plan --year": the planner in mode plan over a synthetic price year, against the cheapest schedule per night.
if (args is ["--plan", ..])
{
    await PlanBenchmark.RunAsync();
    return;
}
// "--phases [--year] [--switching-only] [data]": the solar mode on a box that switches 1 ↔ 3 phases against the best
// three-phase-only schedule, the BMW-like box and a box that refuses numberPhases; data filters the data sets by name.
if (args is ["--phases", .. var phaseOptions])
{
    await PhaseSwitchingBenchmark.RunAsync(phaseOptions.Contains("--year"), phaseOptions.Contains("--switching-only"),
        phaseOptions.FirstOrDefault(o => !o.StartsWith("--", StringComparison.Ordinal)));
    return;
}
// "--hunt N DATA RULES": the same run N times, stopping at the first one that gets stuck (the watchdog says where).
if (args is ["--hunt", var times, var file, var rules])
{
    await SolarBenchmark.HuntAsync(int.Parse(times, System.Globalization.CultureInfo.InvariantCulture), file, rules);
    return;
}
BenchmarkRunner.Run<YearBenchmark>(args: args);

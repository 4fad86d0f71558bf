using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BmwWallbox.Core;
using BmwWallbox.Rules.Engine;

namespace BmwWallbox.Simulation.Benchmarks;

/// <summary>
/// <c>simulate</c> on a year of 1-minute samples (525,600 steps) with shipped example rules, the car
/// plugged in 08:00–17:00 every day, all BMW quirks on — what a user runs on a year of recordings.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class YearBenchmark
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private string _data = "";
    private string _work = "";

    /// <summary>Which example rules: the level rule, or the script that follows the solar surplus every 30 s.</summary>
    [Params("solar-pause.yaml", "solar-surplus.yaml")]
    public string Rules { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var root = RepoPaths.Root;
        _data = ExampleYear.Write(root, Berlin);
        _work = Directory.CreateTempSubdirectory("bmw-rules-bench-").FullName;
        Directory.CreateDirectory(Path.Combine(_work, "rules"));
        File.Copy(Path.Combine(root, "examples", "rules", Rules), Path.Combine(_work, "rules", Rules), overwrite: true);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_work, recursive: true);

    [Benchmark]
    public async Task<double> SimulateYear()
    {
        var setup = new SimulationSetup
        {
            Rules = new RulesOptions { Dir = Path.Combine(_work, "rules") },
            Signals = [new SignalDefinition("solar_power", TimeSpan.FromMinutes(5)), new SignalDefinition("grid_power", TimeSpan.FromMinutes(5)), new SignalDefinition("price", TimeSpan.FromHours(2))],
            TimeZone = Berlin,
        };
        using var data = SignalCsvReader.Open(_data, Berlin);
        var result = await SimulationRunner.RunAsync(setup, data, Path.Combine(_work, "out"), "year");
        return result.Summary.ChargedKwh;
    }
}

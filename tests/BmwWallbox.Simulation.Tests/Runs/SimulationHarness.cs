using System.Globalization;
using BmwWallbox.Core;
using BmwWallbox.Rules.Engine;

namespace BmwWallbox.Simulation.Tests.Runs;

/// <summary>
/// Runs <see cref="SimulationRunner"/> on an example day with chosen example rules (copied into a temp
/// rules folder, as a user would pick them) and the signals of the shipped config.yaml.
/// </summary>
internal sealed class SimulationHarness : IDisposable
{
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>The signals of the shipped config.yaml.</summary>
    public static readonly SignalDefinition[] ConfigSignals =
    [
        new("solar_power", TimeSpan.FromMinutes(5)),
        new("grid_power", TimeSpan.FromMinutes(5)),
        new("price", TimeSpan.FromHours(2)),
    ];

    private readonly string _root = Directory.CreateTempSubdirectory("bmw-simulate-test-").FullName;

    public SimulationHarness(params string[] exampleRules)
    {
        RulesDir = Path.Combine(_root, "rules");
        Directory.CreateDirectory(RulesDir);
        foreach (var rule in exampleRules)
            File.Copy(RepoPaths.Of($"examples/rules/{rule}"), Path.Combine(RulesDir, rule));
        OutDir = Path.Combine(_root, "out");
    }

    public string RulesDir { get; }
    public string OutDir { get; }

    public SimulationSetup Setup(CarOptions? car = null) => new()
    {
        Rules = new RulesOptions { Dir = RulesDir },
        Signals = ConfigSignals,
        TimeZone = Berlin,
        Car = car ?? new CarOptions(),
    };

    public Task<SimulationResult> RunAsync(string exampleDay, SimulationSetup? setup = null) =>
        RunFileAsync(RepoPaths.Of($"examples/data/{exampleDay}"), setup);

    /// <summary>Runs a data file as simulate does: samples held until the next one (<see cref="SampleHold"/>).</summary>
    public async Task<SimulationResult> RunFileAsync(string path, SimulationSetup? setup = null)
    {
        setup ??= Setup();
        using (var check = SignalCsvReader.Open(path, Berlin))
        {
            (setup, var warnings) = SampleHold.Apply(setup, check.Columns, SampleIntervals.Measure(check.ReadSamples(), check.Columns.Count), Path.GetFileName(path));
            Warnings = warnings;
        }
        using var data = SignalCsvReader.Open(path, Berlin);
        return await SimulationRunner.RunAsync(setup, data, OutDir, Path.GetFileName(path))
            .WaitAsync(TestTimeouts.Long); // failure guard only
    }

    /// <summary>What <see cref="SampleHold"/> said about the last run's data.</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];

    /// <summary>Writes an example day averaged over <paramref name="minutes"/>-minute samples into the temp folder.</summary>
    public string Resampled(string exampleDay, int minutes)
    {
        var lines = File.ReadAllLines(RepoPaths.Of($"examples/data/{exampleDay}"));
        var output = new List<string> { lines[0] };
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        for (var i = 0; i < rows.Count; i += minutes)
        {
            var chunk = rows.Skip(i).Take(minutes).ToList();
            var means = Enumerable.Range(1, chunk[0].Length - 1)
                .Select(c => chunk.Average(r => double.Parse(r[c], CultureInfo.InvariantCulture)).ToString("0", CultureInfo.InvariantCulture));
            output.Add(string.Join(',', [chunk[0][0], .. means]));
        }
        var path = Path.Combine(_root, $"{Path.GetFileNameWithoutExtension(exampleDay)}-{minutes}min.csv");
        File.WriteAllLines(path, output);
        return path;
    }

    /// <summary>The rows of timeline.csv, by column name.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Timeline()
    {
        var lines = File.ReadAllLines(Path.Combine(OutDir, SimulationRecorder.TimelineFile));
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => (IReadOnlyDictionary<string, string>)header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    /// <summary>The rows of timeline.csv as numbers (one per minute of the example days).</summary>
    public IReadOnlyList<Row> Rows() => Timeline().Select(r => new Row(
        DateTimeOffset.Parse(r["time"], CultureInfo.InvariantCulture),
        Number(r["limit_a"]), r["limit_source"], Number(r["car_w"]), Number(r["solar_w"]), Number(r["house_w"]),
        r.TryGetValue("price", out var price) && price.Length > 0 ? Number(price) : null)).ToList();

    private static double Number(string text) => text.Length == 0 ? 0 : double.Parse(text, CultureInfo.InvariantCulture);

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

/// <summary>One timeline row: the limit at the start of the sample, the car's average power over it, the house flows.</summary>
internal sealed record Row(DateTimeOffset Time, double LimitA, string Source, double CarW, double SolarW, double HouseW, double? Price)
{
    /// <summary>The part of the car's power not covered by the solar surplus, i.e. taken from the grid.</summary>
    public double CarFromGridW => CarW - Math.Min(CarW, Math.Max(0, SolarW - HouseW));
}

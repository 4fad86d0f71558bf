using System.Globalization;
using BmwWallbox.LoadBenchmark;

// dotnet run -c Release --project tests/BmwWallbox.LoadBenchmark -- [--scenarios process,loop200,loop1000,idle10000]
//     [--targets bmw-rules,ocpp-rpc] [--seconds 20] [--idle-stations 10000] [--compression]
// Prints one Markdown table per scenario, bmw-rules beside the ocpp-rpc peer, from the same run.
var options = Options.Parse(args);
var targets = Targets.Create();
Console.WriteLine($"# Load benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}, " +
    $"permessage-deflate {(options.Compression ? "offered" : "not offered")}");
try
{
    foreach (var scenario in options.Scenarios)
    {
        var results = new List<Measurement>();
        foreach (var target in options.Targets)
        {
            Console.Error.WriteLine($"{scenario} against {target} …");
            results.Add(scenario switch
            {
                "process" => await Scenarios.IdleProcessAsync(targets, target),
                "loop200" => await Scenarios.ClosedLoopAsync(targets, target, 200, TimeSpan.FromSeconds(3), options.Measured, options.Compression),
                "loop1000" => await Scenarios.ClosedLoopAsync(targets, target, 1000, TimeSpan.FromSeconds(5), options.Measured, options.Compression),
                "idle10000" => await Scenarios.IdleAsync(targets, target, options.IdleStations, TimeSpan.FromSeconds(10), options.Measured * 2, options.Compression),
                _ => throw new ArgumentException($"unknown scenario {scenario}"),
            });
        }
        Report.Write(Console.Out, results);
        Console.WriteLine($"load average after: {LoadAverage()}");
    }
}
finally
{
    targets.Delete();
}

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

internal sealed record Options(string[] Scenarios, string[] Targets, TimeSpan Measured, int IdleStations, bool Compression)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        return new Options(
            (Value("--scenarios") ?? "process,loop200,loop1000,idle10000").Split(','),
            (Value("--targets") ?? $"{BmwWallbox.LoadBenchmark.Targets.Ours},{BmwWallbox.LoadBenchmark.Targets.Peer}").Split(','),
            TimeSpan.FromSeconds(int.Parse(Value("--seconds") ?? "20", CultureInfo.InvariantCulture)),
            int.Parse(Value("--idle-stations") ?? "10000", CultureInfo.InvariantCulture),
            args.Contains("--compression"));
    }
}

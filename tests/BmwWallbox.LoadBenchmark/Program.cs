using System.Globalization;
using BmwWallbox.LoadBenchmark;

// dotnet run -c Release --project tests/BmwWallbox.LoadBenchmark -- [--scenarios process,loop200,loop1000,idle10000,command,level]
//     [--targets bmw-rules,ocpp-rpc] [--seconds 20] [--warmup 5] [--compression] [--samples 500]
// loop<N>: N stations in a closed loop of TransactionEvents; idle<N>: N stations with a Heartbeat every 10 s;
// command / level: MQTT set/current, or a signal through a level rule, to SetChargingProfile at the box (bmw-rules only).
// Prints one Markdown table per scenario, bmw-rules beside the ocpp-rpc peer, from the same run.
// BENCHMARK_SERVER_EXE=/path/to/bmw-rules runs that executable (a published build, e.g. Native AOT) as bmw-rules.
var options = Options.Parse(args);
var targets = Targets.Create();
Console.WriteLine($"# Load benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}, " +
    $"permessage-deflate {(options.Compression ? "offered" : "not offered")}");
try
{
    foreach (var scenario in options.Scenarios)
    {
        if (scenario is "command" or "level")
        {
            if (!options.Targets.Contains(BmwWallbox.LoadBenchmark.Targets.Ours)) continue;
            Console.Error.WriteLine($"{scenario} against {BmwWallbox.LoadBenchmark.Targets.Ours} …");
            Report.WriteLatency(Console.Out, scenario == "command"
                ? await LatencyScenarios.CommandAsync(targets, options.Samples)
                : await LatencyScenarios.LevelRuleAsync(targets, options.Samples));
            Console.WriteLine($"load average after: {LoadAverage()}");
            continue;
        }
        var results = new List<Measurement>();
        foreach (var target in options.Targets)
        {
            Console.Error.WriteLine($"{scenario} against {target} …");
            results.Add(scenario switch
            {
                "process" => await Scenarios.IdleProcessAsync(targets, target),
                ['l', 'o', 'o', 'p', .. var n] => await Scenarios.ClosedLoopAsync(targets, target, int.Parse(n, CultureInfo.InvariantCulture),
                    options.WarmUp, options.Measured, options.Compression),
                ['i', 'd', 'l', 'e', .. var n] => await Scenarios.IdleAsync(targets, target, int.Parse(n, CultureInfo.InvariantCulture),
                    TimeSpan.FromSeconds(10), options.Measured * 2, options.Compression),
                _ => throw new ArgumentException($"unknown scenario {scenario}: process, loop<N>, idle<N>, command or level"),
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

internal sealed record Options(string[] Scenarios, string[] Targets, TimeSpan Measured, TimeSpan WarmUp, bool Compression, int Samples)
{
    public static Options Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        return new Options(
            (Value("--scenarios") ?? "process,loop200,loop1000,idle10000,command,level").Split(','),
            (Value("--targets") ?? $"{BmwWallbox.LoadBenchmark.Targets.Ours},{BmwWallbox.LoadBenchmark.Targets.Peer}").Split(','),
            TimeSpan.FromSeconds(int.Parse(Value("--seconds") ?? "20", CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(int.Parse(Value("--warmup") ?? "5", CultureInfo.InvariantCulture)),
            args.Contains("--compression"),
            int.Parse(Value("--samples") ?? "500", CultureInfo.InvariantCulture));
    }
}

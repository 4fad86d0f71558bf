using System.Diagnostics;
using System.Globalization;
using BmwWallbox.Core;
using BmwWallbox.Ocpp;
using BmwWallbox.Ocpp.Benchmarks;
using BmwWallbox.Ocpp.Rpc;
using BmwWallbox.Ocpp.Server;
using BmwWallbox.Ocpp.State;
using Microsoft.Extensions.Logging;

// dotnet run -c Release --project tests/BmwWallbox.Ocpp.Benchmarks -- [--calls 200000]
// One station's CALLs through the whole receive/send path of the live server (frame parsing, schema
// validation, deserialisation, state update with a queued subscriber, reply serialisation), without
// a socket: what the server spends per call before the network and TLS. Prints µs and bytes per call.
var calls = Array.IndexOf(args, "--calls") is var i and >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 200_000;
Console.WriteLine($"# OCPP frame path, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
Console.WriteLine();
if (args.Contains("--stages"))
{
    Console.WriteLine("| TransactionEvent step | CPU µs | bytes allocated |\n| --- | ---: | ---: |");
    Stages.Run(calls);
    return;
}
Console.WriteLine("| frame | calls | µs per call | bytes allocated per call | gen0 GCs |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
foreach (var (name, frame) in Frames.All)
{
    await FramePath.RunAsync(frame, calls / 10); // warm up (tiered JIT)
    var result = await FramePath.RunAsync(frame, calls);
    Console.WriteLine($"| {name} | {calls:N0} | {result.MicrosecondsPerCall:F2} | {result.BytesPerCall:N0} | {result.Gen0:N0} |");
}

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

namespace BmwWallbox.Ocpp.Benchmarks
{
    internal sealed record FrameResult(double MicrosecondsPerCall, double BytesPerCall, int Gen0);

    internal static class FramePath
    {
        private const string Station = "bench";

        public static async Task<FrameResult> RunAsync(string frame, int calls)
        {
            var options = new OcppOptions { Stations = [new StationOptions { Id = Station }] };
            using var logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new DiscardingLoggerProvider()));
            var states = new WallboxStateStore(options.Stations, TimeProvider.System, logs.CreateLogger("state"), WallboxEventDelivery.Queued);
            var delivered = 0L;
            states.Changed += _ => Interlocked.Increment(ref delivered);
            var handler = new StationCallHandler(states, options, TimeProvider.System, logs.CreateLogger("handler"));
            var transport = new RepeatingTransport(frame, calls);
            var connection = new RpcConnection(Station, transport, (action, payload, _) => handler.HandleAsync(Station, action, payload),
                TimeSpan.FromSeconds(15), TimeProvider.System, logs.CreateLogger("rpc"));

            GC.Collect();
            var gen0 = GC.CollectionCount(0);
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var started = Stopwatch.GetTimestamp();
            await connection.RunAsync(CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            if (transport.Replies != calls || transport.LastReply?.StartsWith("[3,", StringComparison.Ordinal) != true)
                throw new InvalidOperationException($"{transport.Replies} replies to {calls} calls, the last: {transport.LastReply}");
            return new FrameResult(elapsed.TotalMicroseconds / calls, (double)bytes / calls, GC.CollectionCount(0) - gen0);
        }
    }

    internal sealed class DiscardingLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Discarding();
        public void Dispose() { }

        private sealed class Discarding : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) { }
        }
    }
}

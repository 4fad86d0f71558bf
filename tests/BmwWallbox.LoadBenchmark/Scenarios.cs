using System.Diagnostics;

namespace BmwWallbox.LoadBenchmark;

/// <summary>What one scenario measured against one CSMS.</summary>
internal sealed record Measurement(
    string Scenario, string Target, int Stations, int Connected, TimeSpan ConnectTime, long Calls, double CallsPerSecond,
    double P50Ms, double P99Ms, long RssBytes, long IdleRssBytes, double CpuPercent, int Errors, TimeSpan StartToListening,
    double GeneratorCpuPercent = 0, GeneratorPauses GeneratorGc = default, double P99WithoutGeneratorGcMs = double.NaN)
{
    /// <summary>
    /// The server's CPU time per answered call: steadier than calls/s when other work shares the cores
    /// (the load generator, the other server, other processes), as it does not count waiting for a core.
    /// </summary>
    public double CpuPerCallUs => Calls == 0 ? 0 : CpuPercent / 100 * 1e6 / CallsPerSecond;

    /// <summary>Memory the stations added over the process with no station connected.</summary>
    public double RssPerStationKb => Connected == 0 ? 0 : (RssBytes - IdleRssBytes) / 1024.0 / Connected;
}

/// <summary>The load shapes: a closed loop of TransactionEvents, and idle stations with heartbeats.</summary>
internal static class Scenarios
{
    /// <summary>Handshakes in flight at once while connecting.</summary>
    private const int ConnectConcurrency = 64;

    /// <summary>
    /// Every station plugs in (Boot, StatusNotification, TransactionEvent Started) and then sends
    /// TransactionEvent Updated with meter values, each as soon as the previous one was answered.
    /// </summary>
    public static async Task<Measurement> ClosedLoopAsync(Targets targets, string target, int stations, TimeSpan warmUp, TimeSpan measured, bool compression)
    {
        await using var server = await targets.StartAsync(target, stations);
        var idleRss = await SettledRssAsync(server);
        var (clients, connectTime) = await ConnectAsync(server, targets, stations, compression, async (c, ct) =>
        {
            await c.CallAsync("StatusNotification", StationMessages.Occupied, ct);
            await c.CallAsync("TransactionEvent", StationMessages.TransactionStarted("tx-" + c.Id), ct);
        });
        try
        {
            using var stop = new CancellationTokenSource(warmUp + measured);
            var measuring = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
            var latencies = clients.Select(_ => new List<CallTiming>(4096)).ToArray();
            var (cpuAtStart, generatorCpuAtStart, generatorGcAtStart) = (TimeSpan.Zero, TimeSpan.Zero, default(GeneratorPauses));
            var cpuStarted = Task.Delay(warmUp).ContinueWith(_ => (cpuAtStart, generatorCpuAtStart, generatorGcAtStart) = (server.CpuTime(), GeneratorCpuTime(), GeneratorPauses.SoFar()),
                TaskScheduler.Default);
            await Task.WhenAll(clients.Select((c, i) => Task.Run(async () =>
            {
                var seqNo = 1;
                var energy = 1000.0;
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var call = await c.TimedCallAsync("TransactionEvent", StationMessages.TransactionUpdated("tx-" + c.Id, seqNo++, energy += 10), stop.Token);
                        if (Stopwatch.GetTimestamp() >= measuring) latencies[i].Add(call);
                    }
                }
                catch (OperationCanceledException)
                {
                    // the measured time is over
                }
            })));
            await cpuStarted;
            var cpu = server.CpuTime() - cpuAtStart;
            var generatorCpu = GeneratorCpuTime() - generatorCpuAtStart;
            var (all, clean) = Sorted(latencies);
            return new Measurement($"{stations} stations, closed loop of TransactionEvent", target, stations, clients.Count, connectTime,
                all.Length, all.Length / measured.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99), server.RssBytes(), idleRss,
                cpu / measured * 100, clients.Sum(c => c.Errors), server.StartToListening, generatorCpu / measured * 100, GeneratorPauses.SoFar() - generatorGcAtStart,
                Percentile(clean, 0.99));
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>The load generator's own CPU time: with the server it shares the cores, so it bounds what any server can reach.</summary>
    private static TimeSpan GeneratorCpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>Every station boots, then sends a Heartbeat every <paramref name="interval"/> (spread evenly).</summary>
    public static async Task<Measurement> IdleAsync(Targets targets, string target, int stations, TimeSpan interval, TimeSpan measured, bool compression)
    {
        await using var server = await targets.StartAsync(target, stations);
        var idleRss = await SettledRssAsync(server);
        var (clients, connectTime) = await ConnectAsync(server, targets, stations, compression, (_, _) => Task.CompletedTask);
        await HoldForInspectionAsync(server, clients);
        try
        {
            using var stop = new CancellationTokenSource(measured);
            var cpuAtStart = server.CpuTime();
            var generatorGcAtStart = GeneratorPauses.SoFar();
            var latencies = clients.Select(_ => new List<CallTiming>()).ToArray();
            await Task.WhenAll(clients.Select((c, i) => Task.Run(async () =>
            {
                try
                {
                    await Task.Delay(interval * i / clients.Count, stop.Token);
                    using var timer = new PeriodicTimer(interval);
                    do latencies[i].Add(await c.TimedCallAsync("Heartbeat", StationMessages.Heartbeat, stop.Token));
                    while (await timer.WaitForNextTickAsync(stop.Token));
                }
                catch (OperationCanceledException)
                {
                    // the measured time is over
                }
            })));
            var cpu = server.CpuTime() - cpuAtStart;
            var (all, clean) = Sorted(latencies);
            return new Measurement($"{stations} idle stations, Heartbeat every {interval.TotalSeconds:0} s", target, stations, clients.Count, connectTime,
                all.Length, all.Length / measured.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99), server.RssBytes(), idleRss,
                cpu / measured * 100, clients.Sum(c => c.Errors), server.StartToListening, GeneratorGc: GeneratorPauses.SoFar() - generatorGcAtStart,
                P99WithoutGeneratorGcMs: Percentile(clean, 0.99));
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>The process alone: start to listening, and its memory a few seconds later.</summary>
    public static async Task<Measurement> IdleProcessAsync(Targets targets, string target)
    {
        await using var server = await targets.StartAsync(target, stations: 1);
        var rss = await SettledRssAsync(server);
        return new Measurement("idle process (1 station configured, none connected)", target, 1, 0, TimeSpan.Zero, 0, 0, 0, 0, rss, rss, 0, 0, server.StartToListening);
    }

    /// <summary>Connects and boots every station (<see cref="ConnectConcurrency"/> at a time); the time until all are booted.</summary>
    private static async Task<(List<StationClient> Clients, TimeSpan Took)> ConnectAsync(
        ServerProcess server, Targets targets, int stations, bool compression, Func<StationClient, CancellationToken, Task> afterBoot)
    {
        var uri = new Uri($"wss://127.0.0.1:{server.Port}/");
        var clients = new List<StationClient>(stations);
        var failures = 0;
        using var gate = new SemaphoreSlim(ConnectConcurrency);
        // Generous (a loaded machine connects slowly); stations not connected by then are reported, not fatal.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(50) * stations);
        var started = Stopwatch.GetTimestamp();
        var (cpuBefore, generatorCpuBefore) = (server.CpuTime(), GeneratorCpuTime());
        Console.Error.WriteLine($"connecting {stations} stations: server pid {server.Pid}");
        await Task.WhenAll(Enumerable.Range(0, stations).Select(async i =>
        {
            try
            {
                await gate.WaitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                var client = await StationClient.ConnectAsync(uri, Targets.StationId(i), Targets.Password, targets.Certificate, compression, guard.Token);
                try
                {
                    await client.CallAsync("BootNotification", StationMessages.Boot, guard.Token);
                    await afterBoot(client, guard.Token);
                }
                catch
                {
                    await client.DisposeAsync();
                    throw;
                }
                lock (clients) clients.Add(client);
            }
            catch (OperationCanceledException)
            {
                // out of time: this station counts as not connected
            }
            catch (Exception ex)
            {
                if (Interlocked.Increment(ref failures) <= 3) Console.Error.WriteLine($"{Targets.StationId(i)}: {ex.Message}");
            }
            finally
            {
                gate.Release();
            }
        }));
        // The server's CPU for the burst: steadier than the wall time on a machine other work shares. The generator's
        // shares the same cores, and grows with what the server asks of each station (bmw-rules' link-up commands).
        Console.Error.WriteLine($"{clients.Count} stations connected and booted in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s: "
            + $"server CPU {(server.CpuTime() - cpuBefore).TotalSeconds:0.0} s, load generator CPU {(GeneratorCpuTime() - generatorCpuBefore).TotalSeconds:0.0} s");
        return (clients, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>BENCHMARK_HOLD_SECONDS=N: keeps the stations connected N seconds before measuring, to look inside the server (dotnet-gcdump, /proc/&lt;pid&gt;/smaps).</summary>
    private static async Task HoldForInspectionAsync(ServerProcess server, List<StationClient> clients)
    {
        if (Environment.GetEnvironmentVariable("BENCHMARK_HOLD_SECONDS") is not { } hold) return;
        Console.Error.WriteLine($"all connected; holding {hold} s: server pid {server.Pid}");
        var cpuBefore = server.CpuTime();
        await Task.Delay(TimeSpan.FromSeconds(int.Parse(hold, System.Globalization.CultureInfo.InvariantCulture)));
        Console.Error.WriteLine($"held: server CPU {(server.CpuTime() - cpuBefore).TotalSeconds:0.0} s, RSS {server.RssBytes() >> 20} MB, {clients.Sum(c => c.CallsFromCsms)} calls from the CSMS so far");
    }

    /// <summary>The process's resident memory once start-up work has settled (a benchmark, not a test: it may wait).</summary>
    private static async Task<long> SettledRssAsync(ServerProcess server)
    {
        await Task.Delay(TimeSpan.FromSeconds(3));
        return server.RssBytes();
    }

    /// <summary>Every call's milliseconds, and those of the calls no collection of the generator fell within; both sorted.</summary>
    private static (double[] All, double[] WithoutGeneratorGc) Sorted(List<CallTiming>[] perClient)
    {
        var calls = perClient.SelectMany(l => l).ToArray();
        return (calls.Select(c => c.Took.TotalMilliseconds).Order().ToArray(),
            calls.Where(c => !c.DuringGeneratorGc).Select(c => c.Took.TotalMilliseconds).Order().ToArray());
    }

    private static double Percentile(double[] sorted, double p)
        => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

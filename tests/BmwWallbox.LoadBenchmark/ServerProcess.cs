using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace BmwWallbox.LoadBenchmark;

/// <summary>
/// The CSMS under load in its own process (bmw-rules run, or the ocpp-rpc peer), so its memory and
/// CPU are its own: RSS from /proc/&lt;pid&gt;/status, CPU time from /proc/&lt;pid&gt;/stat.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Process _process;
    private readonly List<string> _output;

    private ServerProcess(Process process, List<string> output, int port, TimeSpan startToListening)
    {
        _process = process;
        _output = output;
        Port = port;
        StartToListening = startToListening;
    }

    public int Port { get; }

    /// <summary>The server's process id (to inspect it while the benchmark holds, BENCHMARK_HOLD_SECONDS).</summary>
    public int Pid => _process.Id;

    public TimeSpan StartToListening { get; }

    public static async Task<ServerProcess> StartAsync(ProcessStartInfo start, int port)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var output = new List<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Listening = a TCP connection is accepted on the port.
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{start.FileName} exited with {process.ExitCode}:\n{string.Join('\n', output)}");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException)
            {
                await Task.Delay(5);
            }
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromMinutes(2)) throw new TimeoutException($"{start.FileName} did not listen on {port}");
        }
        return new ServerProcess(process, output, port, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Resident memory now, in bytes.</summary>
    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    /// <summary>User + system CPU time used so far.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ": field 3 is index 0, so utime (14) and stime (15) are at 11 and 12.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>The last lines the server wrote (set BENCHMARK_SERVER_LOG=1 to see them after each scenario).</summary>
    public IReadOnlyList<string> LastOutput(int lines)
    {
        lock (_output) return _output.TakeLast(lines).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("BENCHMARK_SERVER_LOG") == "1")
            foreach (var line in LastOutput(40)) Console.Error.WriteLine($"  server: {line}");
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

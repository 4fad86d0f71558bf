using System.Diagnostics;
using System.Globalization;
using BmwWallbox.Rules.Tests.Cli;
using BmwWallbox.SimulatedBox;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.Rules.Tests.EndToEnd;

/// <summary>
/// Issue 13: a session open when the process is killed (kill -9) is neither lost nor doubled. The built daemon
/// runs as its own process with the simulated box connected over wss; it is killed while the car charges and
/// started again; the box reconnects, the car is unplugged, and the history holds one session with the energy
/// the box's meter counted from plug-in to unplug.
/// </summary>
public sealed class HistoryCrashProcessTests : IAsyncDisposable
{
    private const string StationId = "DE*BMW*KILL";
    private const string Password = "kill-test-password-0123";

    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-kill-").FullName;
    private readonly TestLogs _logs = new();
    private readonly List<DaemonProcess> _daemons = [];

    [Fact]
    public async Task A_session_open_at_kill_9_is_one_session_with_the_right_energy_after_the_restart()
    {
        var ocppPort = FreePort.Next();
        Directory.CreateDirectory(Path.Combine(_dir, "rules"));
        var config = Path.Combine(_dir, "config.yaml");
        await File.WriteAllTextAsync(config, $$"""
            ocpp:
              port: {{ocppPort}}
              bind: 127.0.0.1
              tls: { cert: cert.pem, key: key.pem, self_signed: true }
              stations:
                - { id: "{{StationId}}", password: "{{Password}}", name: garage }
            mqtt:
              port: {{FreePort.Next()}}
            time_zone: Europe/Berlin
            """);

        var first = Start("run", "--config", config);
        var box = new SimulatedWallbox(new SimulatedBoxOptions
        {
            StationId = StationId,
            Quirks = BoxQuirks.AllOn,
            SendHeartbeats = false,
            ReconnectDelayMax = TimeSpan.FromSeconds(1),
        }, TimeProvider.System, _logs.For<SimulatedWallbox>());
        await using var client = new SimulatedBoxClient(box, new SimulatedBoxClientOptions
        {
            ServerUri = new Uri($"wss://127.0.0.1:{ocppPort}/"),
            Password = Password,
            AcceptAnyServerCertificate = true,
        }, _logs.For<SimulatedBoxClient>());
        await client.StartAsync();
        await box.WaitForBootAcceptedAsync().WaitAsync(TestTimeouts.Long);

        var meterStart = box.EnergyRegisterWh;
        box.PlugIn(new SimulatedCar());
        await first.WaitForLineAsync("Charging history: garage session 1 started");
        await box.WaitForChargingStateAsync("Charging").WaitAsync(TestTimeouts.Long);

        first.Process.Kill(); // SIGKILL: nothing runs after it
        await first.Process.WaitForExitAsync().WaitAsync(TestTimeouts.Long);

        // The car charges on while bmw-rules is down; then it starts again and the box reconnects.
        var second = Start("run", "--config", config);
        second.Before = first;
        await second.WaitForLineAsync("1 session(s) left open by the last run ended at their last saved update");
        await second.WaitForLineAsync($"{StationId} connected from");
        box.Unplug();
        var meterStop = box.EnergyRegisterWh;
        await second.WaitForLineAsync("Charging history: garage session 1 ended (EVDisconnected)");
        await second.StopAsync();

        var csv = await BmwRulesProcess.RunAsync(_dir, "sessions", "--csv", "--config", config);
        Assert.Equal(0, csv.ExitCode);
        var lines = csv.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var row = Assert.Single(lines.Skip(1)).Split(',');
        var column = lines[0].Split(',').Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i);
        Assert.Equal("EVDisconnected", row[column["end_reason"]]);
        Assert.True(meterStop > meterStart, "the car charged");
        Assert.Equal((meterStop - meterStart) / 1000, double.Parse(row[column["energy_kwh"]], CultureInfo.InvariantCulture), 4);
        Assert.Equal(meterStart, double.Parse(row[column["meter_start_wh"]], CultureInfo.InvariantCulture), 3);
    }

    private DaemonProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bmw-rules.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        var daemon = new DaemonProcess(Process.Start(start)!);
        _daemons.Add(daemon);
        return daemon;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var daemon in _daemons)
        {
            if (!daemon.Process.HasExited) daemon.Process.Kill(entireProcessTree: true);
            daemon.Process.Dispose();
        }
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        await Task.CompletedTask;
    }

    /// <summary>A running bmw-rules whose log lines (stdout) a test can wait for.</summary>
    private sealed class DaemonProcess
    {
        private readonly List<string> _lines = [];
        private readonly List<(string Text, TaskCompletionSource Done)> _waiters = [];
        private readonly Task<string> _stderr;

        public DaemonProcess(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not { } line) return;
                lock (_lines)
                {
                    _lines.Add(line);
                    foreach (var w in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal))) w.Done.TrySetResult();
                }
            };
            process.BeginOutputReadLine();
            _stderr = process.StandardError.ReadToEndAsync();
        }

        public Process Process { get; }

        /// <summary>The run before this one, whose log a failure shows too.</summary>
        public DaemonProcess? Before { get; set; }

        public string Log
        {
            get { lock (_lines) return (Before is null ? "" : Before.Log + "\n--- restarted ---\n") + string.Join("\n", _lines); }
        }

        public async Task WaitForLineAsync(string text)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lines)
            {
                if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal))) return;
                _waiters.Add((text, done));
            }
            var exited = Process.WaitForExitAsync();
            var first = await Task.WhenAny(done.Task, exited, Task.Delay(TestTimeouts.Long)); // failure guard only
            if (first == done.Task) return;
            var log = Log;
            throw new Xunit.Sdk.XunitException(first == exited
                ? $"bmw-rules ended (exit {Process.ExitCode}) before logging '{text}':\n{log}\n{await _stderr}"
                : $"bmw-rules did not log '{text}' within {TestTimeouts.Long.TotalSeconds} s; its log:\n{log}");
        }

        /// <summary>SIGTERM, as systemd stops it; it must stop cleanly.</summary>
        public async Task StopAsync()
        {
            using (var term = Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            await Process.WaitForExitAsync().WaitAsync(TestTimeouts.Long);
            Assert.Equal(0, Process.ExitCode);
        }
    }
}

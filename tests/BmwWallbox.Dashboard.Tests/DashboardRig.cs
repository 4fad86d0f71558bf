using System.Net;
using BmwWallbox.Core;
using BmwWallbox.Dashboard;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Rules.Hosting;
using BmwWallbox.SimulatedBox;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.Dashboard.Tests;

/// <summary>
/// The whole daemon as <c>run</c> composes it (TLS OCPP server, embedded MQTT broker, controllers, rules and
/// the dashboard on an ephemeral loopback port) in a temp folder, with the simulated BMW box connected over
/// wss. Time is virtual (a <see cref="ManualClock"/> shared by the daemon and the box); sockets are real.
/// </summary>
internal sealed class DashboardRig : IAsyncDisposable
{
    public const string StationId = "DE*BMW*DASH";
    public const string StationName = "garage";
    private const string BoxPassword = "dashboard-test-password-0123";

    private SimulatedBoxClient? _client;

    private DashboardRig(string dir, ManualClock time, int mqttPort)
    {
        MqttPort = mqttPort;
        Dir = dir;
        Time = time;
        Logs = new TestLogs(clock: time);
    }

    public string Dir { get; }
    public ManualClock Time { get; }
    public int MqttPort { get; }
    public TestLogs Logs { get; }
    public Daemon Daemon { get; private set; } = null!;
    public SimulatedWallbox Box { get; private set; } = null!;
    public DashboardServer Dashboard => Daemon.Dashboard!;
    public Uri Url => new(Dashboard.LocalUrl);
    public IChargeController Controller => Daemon.Controllers.All[0];

    /// <param name="password">http.password; empty = none (loopback only).</param>
    /// <param name="ruleFiles">Rule files by name, written to rules/.</param>
    /// <param name="history">A history to show instead of the daemon's own (data_dir/history.db).</param>
    /// <param name="historyOff">history.enabled: false.</param>
    public static async Task<DashboardRig> StartAsync(string password = "", IReadOnlyDictionary<string, string>? ruleFiles = null, ISessionHistory? history = null, bool historyOff = false)
    {
        var dir = Directory.CreateTempSubdirectory("bmw-dashboard-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "rules"));
        foreach (var (name, text) in ruleFiles ?? new Dictionary<string, string>())
            await File.WriteAllTextAsync(Path.Combine(dir, "rules", name), text);
        // Virtual time starts today at 10:00 UTC.
        var time = new ManualClock(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(10), TimeSpan.Zero));
        var rig = new DashboardRig(dir, time, FreePort.Next());
        var yaml = $$"""
            ocpp:
              port: 0
              bind: 127.0.0.1
              tls: { cert: missing-cert.pem, key: missing-key.pem, self_signed: true }
              stations:
                - { id: "{{StationId}}", password: "{{BoxPassword}}", name: {{StationName}} }
              # Virtual minutes pass in one step while socket I/O runs in real time.
              command_timeout: 1h
            wallbox:
              min_current: 6
              max_current: 16
            mqtt:
              port: {{rig.MqttPort}}
            signals:
              solar_power: { topic: home/solar/power }
              house_power: { topic: home/house/power }
            http:
              port: 0
              bind: 127.0.0.1
              password: "{{password}}"
            history: { enabled: {{(historyOff ? "false" : "true")}} }
            time_zone: Europe/Berlin
            """;
        var path = Path.Combine(dir, "config.yaml");
        await File.WriteAllTextAsync(path, yaml);
        var config = ConfigLoader.Load(path);
        Assert.True(config.Ok, string.Join("\n", config.Problems));
        rig.Daemon = await Daemon.StartAsync(config, rig.Logs, time, CancellationToken.None, history);
        return rig;
    }

    /// <summary>Connects the simulated BMW box (all quirks on) and waits until it holds the controller's default profile.</summary>
    public async Task ConnectBoxAsync()
    {
        Box = new SimulatedWallbox(new SimulatedBoxOptions { StationId = StationId, Quirks = BoxQuirks.AllOn, SendHeartbeats = false }, Time, Logs.For<SimulatedWallbox>());
        _client = new SimulatedBoxClient(Box, new SimulatedBoxClientOptions
        {
            ServerUri = new Uri($"wss://127.0.0.1:{Daemon.Server.Ports[0]}/"),
            Password = BoxPassword,
            AcceptAnyServerCertificate = true,
            CallTimeout = TimeSpan.FromHours(1),
        }, Logs.For<SimulatedBoxClient>());
        await _client.StartAsync(CancellationToken.None);
        await Box.WaitForBootAcceptedAsync(CancellationToken.None).WaitAsync(TestTimeouts.Slow);
        await Box.WaitForAppliedLimitAsync(Controller.Control.EffectiveLimit, CancellationToken.None).WaitAsync(TestTimeouts.Slow);
    }

    /// <summary>Plugs a car in and waits until it charges (the BMW box starts on plug-in) and the controller is idle again.</summary>
    public async Task PlugInAndChargeAsync()
    {
        var charging = WaitForStateAsync(s => s.ChargingState == ChargingState.Charging);
        Box.PlugIn(new SimulatedCar());
        await charging;
        await SettledAsync();
    }

    /// <summary>Completes when the daemon's state of the station (what the dashboard shows) matches.</summary>
    public Task WaitForStateAsync(Func<WallboxState, bool> match)
    {
        var states = Daemon.Server.States;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(WallboxEvent e)
        {
            if (match(e.State)) done.TrySetResult();
        }
        states.Changed += OnChanged;
        if (states.Get(StationId) is { } now && match(now)) done.TrySetResult();
        return done.Task.WaitAsync(TestTimeouts.Slow).ContinueWith(t => { states.Changed -= OnChanged; return t; }).Unwrap();
    }

    /// <summary>Completes when the daemon has read <paramref name="value"/> for the signal; call it before publishing.</summary>
    public Task WaitForSignalAsync(string name, double value)
    {
        var signals = Daemon.Signals;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(SignalReading r)
        {
            if (r.Name == name && r.Value == value) done.TrySetResult();
        }
        signals.Changed += OnChanged;
        return done.Task.WaitAsync(TestTimeouts.Slow).ContinueWith(t => { signals.Changed -= OnChanged; return t; }).Unwrap();
    }

    /// <summary>Completes when the rule has recorded a run with this result.</summary>
    public Task WaitForTraceAsync(string ruleId, string result)
    {
        var rules = Daemon.Rules;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnTrace(Rules.Engine.Tracing.RuleTrace t)
        {
            if (t.RuleId == ruleId && t.Result == result) done.TrySetResult();
        }
        rules.TraceRecorded += OnTrace;
        return done.Task.WaitAsync(TestTimeouts.Slow).ContinueWith(t => { rules.TraceRecorded -= OnTrace; return t; }).Unwrap();
    }

    /// <summary>Completes when the controller has no command queued or in flight.</summary>
    public Task SettledAsync() => ((Charging.ChargeController)Controller).WhenIdleAsync(CancellationToken.None).WaitAsync(TestTimeouts.Slow);

    /// <summary>An HTTP client for the dashboard that keeps cookies (the login) and does not follow redirects.</summary>
    public HttpClient Http() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Url };

    public async ValueTask DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        if (Box is not null) await Box.DisposeAsync();
        if (Daemon is not null) await Daemon.DisposeAsync();
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
        Logs.AssertNoUnexpectedErrors();
    }
}

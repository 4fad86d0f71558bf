using System.Net;
using BmwWallbox.Charging;
using BmwWallbox.Core;
using BmwWallbox.Dashboard;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Rules.Engine.Tracing;
using BmwWallbox.Rules.Hosting;
using BmwWallbox.SimulatedBox;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.TestKit;

/// <summary>
/// The whole daemon as <c>run</c> composes it (real TLS OCPP server, embedded MQTT broker, controllers,
/// rules, the dashboard on an ephemeral loopback port) in a temp folder, with the simulated BMW box
/// connected over wss. Time is virtual: the daemon and the box share a <see cref="ManualClock"/>; sockets are real.
/// </summary>
internal sealed class DaemonHarness : IAsyncDisposable
{
    public const string StationId = "DE*BMW*E2E";
    public const string StationName = "garage";
    public const string Password = "e2e-password-0123456789";

    private SimulatedBoxClient? _client;

    private DaemonHarness(string dir, ManualClock time, int mqttPort)
    {
        Dir = dir;
        Time = time;
        Logs = new TestLogs(clock: time);
        MqttPort = mqttPort;
    }

    public string Dir { get; }
    public ManualClock Time { get; }
    /// <summary>The daemon's and the box's logs; an error they log fails the test unless declared (<see cref="TestLogs.AllowErrors"/>).</summary>
    public TestLogs Logs { get; }
    public int MqttPort { get; }
    public Daemon Daemon { get; private set; } = null!;
    public SimulatedWallbox Box { get; private set; } = null!;
    public string RulesDir => Path.Combine(Dir, "rules");
    public int OcppPort => Daemon.Server.Ports[0];
    public IChargeController Controller => Daemon.Controllers.All[0];
    public DashboardServer Dashboard => Daemon.Dashboard!;
    public Uri Url => new(Dashboard.LocalUrl);

    /// <summary>Starts the daemon with the given extra YAML (appended to a minimal config) and rule files.</summary>
    /// <param name="extraYaml">Top-level keys, e.g. <c>charging: { mode: now }</c> or <c>history: { enabled: false }</c>.</param>
    /// <param name="ruleFiles">Rule files by name, written to rules/.</param>
    /// <param name="tlsYaml">The <c>ocpp.tls</c> line; by default a self-signed certificate made at start.</param>
    /// <param name="mqttYaml">Extra keys of the <c>mqtt:</c> section, e.g. <c>users: [...]</c>.</param>
    /// <param name="signalsYaml">Extra signals besides solar_power, e.g. <c>car_soc: { topic: car/soc }</c>.</param>
    /// <param name="httpYaml">Extra keys of the <c>http:</c> section (the dashboard), e.g. <c>password: "..."</c>.</param>
    /// <param name="history">A history to show instead of the daemon's own (data_dir/history.db).</param>
    public static async Task<DaemonHarness> StartAsync(
        string extraYaml = "", IReadOnlyDictionary<string, string>? ruleFiles = null, string? tlsYaml = null,
        string mqttYaml = "", string signalsYaml = "", string httpYaml = "", ISessionHistory? history = null)
    {
        var dir = Directory.CreateTempSubdirectory("bmw-e2e-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "rules"));
        foreach (var (name, text) in ruleFiles ?? new Dictionary<string, string>())
            await File.WriteAllTextAsync(Path.Combine(dir, "rules", name), text);
        // Virtual time starts today at 10:00 UTC (late morning in Berlin, outside the examples' time windows).
        var time = new ManualClock(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(10), TimeSpan.Zero));
        for (var attempt = 1; ; attempt++)
        {
            var harness = new DaemonHarness(dir, time, FreePort.Next());
            var yaml = $$"""
                ocpp:
                  port: 0
                  bind: 127.0.0.1
                  {{tlsYaml ?? "tls: { cert: missing-cert.pem, key: missing-key.pem, self_signed: true }"}}
                  stations:
                    - { id: "{{StationId}}", password: "{{Password}}", name: {{StationName}} }
                  # The tests leap minutes of virtual time in one step while socket I/O runs in real time:
                  # a call in flight must not time out in such a leap (timeouts have tests of their own).
                  command_timeout: 1h
                wallbox:
                  max_current: 16
                mqtt:
                  port: {{harness.MqttPort}}
                  {{mqttYaml}}
                signals:
                  solar_power: { topic: home/solar/power }
                  {{signalsYaml}}
                # The dashboard on any free loopback port (each test its own daemon).
                http:
                  port: 0
                  bind: 127.0.0.1
                  {{httpYaml}}
                time_zone: Europe/Berlin
                {{extraYaml}}
                """;
            var path = Path.Combine(dir, "config.yaml");
            await File.WriteAllTextAsync(path, yaml);
            var config = ConfigLoader.Load(path);
            Assert.True(config.Ok, string.Join("\n", config.Problems));
            try
            {
                harness.Daemon = await Daemon.StartAsync(config, harness.Logs, time, CancellationToken.None, history);
                return harness;
            }
            catch (PortInUseException e) when (e.Setting == "mqtt.port" && attempt < 3)
            {
                // FreePort's port was free a moment ago, but another test's connection can take it before the broker binds it.
            }
        }
    }

    /// <summary>
    /// Stops the daemon (and the box's connection) as a shutdown does, and starts a new one on the same config
    /// and data folder, as after a restart. Virtual time goes on.
    /// </summary>
    public async Task RestartAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        _client = null;
        if (Box is not null) await Box.DisposeAsync();
        Box = null!;
        await Daemon.DisposeAsync();
        var config = ConfigLoader.Load(Path.Combine(Dir, "config.yaml"));
        Assert.True(config.Ok, string.Join("\n", config.Problems));
        Daemon = await Daemon.StartAsync(config, Logs, Time, CancellationToken.None);
    }

    /// <summary>Connects the simulated BMW box (all quirks on) and waits until it holds the controller's default profile.</summary>
    public async Task ConnectBoxAsync(Func<SimulatedBoxOptions, SimulatedBoxOptions>? box = null)
    {
        (Box, _client) = await ConnectBmwBoxAsync(OcppPort, StationId, Password, Time, Logs, box);
        // The controller's connect sequence ends with the TxDefaultProfile at the effective limit.
        await BoxHoldsTheEffectiveLimitAsync().WaitAsync(TestTimeouts.Slow);
    }

    /// <summary>
    /// The limit in force may still change while the box connects (a startup rule, a mode): a limit read once could be
    /// superseded before the box ever applies it, so each change of the controller's state starts the wait again.
    /// </summary>
    private async Task BoxHoldsTheEffectiveLimitAsync()
    {
        while (true)
        {
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnChange(ControlState _) => changed.TrySetResult();
            using var stopWaiting = new CancellationTokenSource();
            Controller.ControlChanged += OnChange;
            try
            {
                var applied = Box.WaitForAppliedLimitAsync(Controller.Control.EffectiveLimit, stopWaiting.Token);
                if (await Task.WhenAny(applied, changed.Task) == applied)
                {
                    await applied;
                    return;
                }
            }
            finally
            {
                Controller.ControlChanged -= OnChange;
                await stopWaiting.CancelAsync();
            }
        }
    }

    /// <summary>A simulated BMW box (all quirks on) connected over wss to a daemon's OCPP port, once its boot is accepted.</summary>
    public static async Task<(SimulatedWallbox Box, SimulatedBoxClient Client)> ConnectBmwBoxAsync(
        int ocppPort, string stationId, string password, ManualClock time, TestLogs logs, Func<SimulatedBoxOptions, SimulatedBoxOptions>? box = null)
    {
        var options = new SimulatedBoxOptions { StationId = stationId, Quirks = BoxQuirks.AllOn, SendHeartbeats = false };
        var wallbox = new SimulatedWallbox(box?.Invoke(options) ?? options, time, logs.For<SimulatedWallbox>());
        var client = new SimulatedBoxClient(wallbox, new SimulatedBoxClientOptions
        {
            ServerUri = new Uri($"wss://127.0.0.1:{ocppPort}/"),
            Password = password,
            AcceptAnyServerCertificate = true,
            CallTimeout = TimeSpan.FromHours(1),
        }, logs.For<SimulatedBoxClient>());
        await client.StartAsync(CancellationToken.None);
        await wallbox.WaitForBootAcceptedAsync(CancellationToken.None).WaitAsync(TestTimeouts.Slow);
        return (wallbox, client);
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

    /// <summary>
    /// Completes when the daemon has read <paramref name="value"/> for the signal (it travels through MQTT).
    /// Call it before publishing: it completes on the change event, after every handler the daemon
    /// subscribed earlier (the rules) has seen the reading, so virtual time may move on at once.
    /// </summary>
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

    /// <summary>Completes when the rule has recorded a run with this result (after the controller answered).</summary>
    public Task<RuleTrace> WaitForTraceAsync(string ruleId, string result)
    {
        var rules = Daemon.Rules;
        var done = new TaskCompletionSource<RuleTrace>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnTrace(RuleTrace t)
        {
            if (t.RuleId == ruleId && t.Result == result) done.TrySetResult(t);
        }
        rules.TraceRecorded += OnTrace;
        if (rules.Traces(ruleId).LastOrDefault(t => t.Result == result) is { } seen) done.TrySetResult(seen);
        return done.Task.WaitAsync(TestTimeouts.Slow).ContinueWith(t => { rules.TraceRecorded -= OnTrace; return t; }).Unwrap();
    }

    /// <summary>Completes when the controller has no command queued or in flight.</summary>
    public Task SettledAsync() => ((ChargeController)Controller).WhenIdleAsync(CancellationToken.None).WaitAsync(TestTimeouts.Slow);

    /// <summary>An HTTP client for the dashboard that keeps cookies (the login) and does not follow redirects.</summary>
    /// <summary>A client of the dashboard (with http.tls it trusts the test certificate the daemon serves).</summary>
    public HttpClient Http() => new(new HttpClientHandler
    {
        CookieContainer = new CookieContainer(),
        AllowAutoRedirect = false,
        ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
    }) { BaseAddress = Url };

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

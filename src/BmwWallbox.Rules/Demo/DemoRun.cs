using System.Collections.Concurrent;
using BmwWallbox.Core;
using BmwWallbox.Rules.Cli;
using BmwWallbox.Rules.Engine.Tracing;
using BmwWallbox.Rules.Hosting;
using BmwWallbox.SimulatedBox;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Demo;

/// <summary>
/// One run of <c>bmw-rules demo</c>: the real daemon (embedded broker, self-signed wss) and a simulated BMW
/// box connecting to it, both on a fast clock, a synthetic solar day published over MQTT, and a live table
/// of what the rules make of it. Ends when the token is cancelled (or after --duration / --days), stopping
/// everything and removing its temp folder. The milestone tasks let tests follow a run without sleeping.
/// </summary>
internal sealed class DemoRun
{
    /// <summary>A big battery, mostly empty, charging at up to 16 A on 3 phases (11 kW).</summary>
    public static readonly SimulatedCar Car = new() { BatteryKWh = 80, StartSocPercent = 20, MaxCurrentAmps = 16, Phases = 3 };
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    /// <summary>OCPPCommCtrlr.MessageTimeout of the real box.</summary>
    private static readonly TimeSpan BoxMessageTimeout = TimeSpan.FromSeconds(30);

    private readonly DemoOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _real;
    private readonly LiveDisplay _display;
    private readonly TaskCompletionSource _connected = NewMilestone(), _ruleActed = NewMilestone(), _paused = NewMilestone(), _resumed = NewMilestone();
    private readonly ConcurrentQueue<RuleTrace> _ruleActions = new();
    private readonly Lock _tickLock = new();
    private ScaledTimeProvider? _clock;
    private Daemon? _daemon;
    private SimulatedWallbox? _box;
    private DateOnly _day;

    /// <param name="realTime">The real clock the demo speeds up (tests may pass their own).</param>
    public DemoRun(DemoOptions options, TextWriter output, ILoggerFactory loggers, TimeProvider? realTime = null)
    {
        _options = options;
        _loggers = loggers;
        _real = realTime ?? TimeProvider.System;
        _display = new LiveDisplay(output, options.Color);
        WorkDir = Path.Combine(Path.GetTempPath(), $"bmw-rules-demo-{Guid.NewGuid():N}");
    }

    /// <summary>The temp folder holding data/ (certificate, status) and rules/; removed at the end.</summary>
    public string WorkDir { get; }

    /// <summary>The simulated box connected over wss, booted, and got its default charging profile.</summary>
    public Task BoxConnected => _connected.Task;
    /// <summary>A rule acted on the box for the first time.</summary>
    public Task RuleActed => _ruleActed.Task;
    /// <summary>The box enforces a 0 A pause.</summary>
    public Task Paused => _paused.Task;
    /// <summary>After a pause, the car charges again.</summary>
    public Task Resumed => _resumed.Task;
    /// <summary>Raised when the run starts shutting down (its own teardown makes expected warnings).</summary>
    public event Action? Stopping;

    /// <summary>Every rule run that did something, in order.</summary>
    public IReadOnlyList<RuleTrace> RuleActions => [.. _ruleActions];

    /// <summary>Runs until <paramref name="ct"/> is cancelled (or the --duration/--days is over). 0 = stopped cleanly.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var day = DemoDay.Load();
        // Time stands still until the box is ready, so the day starts at --start however long start-up takes.
        var clock = _clock = new ScaledTimeProvider(day.At(_options.Start, _real.LocalTimeZone), _options.Speed, _real, started: false);
        _day = day.Date;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var timers = new List<ITimer>();
        if (_options.Duration is { } duration) timers.Add(_real.CreateTimer(_ => stop.Cancel(), null, duration, Timeout.InfiniteTimeSpan));
        if (_options.Days is { } days) timers.Add(clock.CreateTimer(_ => stop.Cancel(), null, TimeSpan.FromDays(days), Timeout.InfiniteTimeSpan));
        SimulatedBoxClient? client = null;
        Task player = Task.CompletedTask;
        var exit = ExitCodes.Ok;
        try
        {
            DemoResources.WriteRules(Path.Combine(WorkDir, "rules"));
            var mqttPort = _options.MqttPort > 0 ? _options.MqttPort : DemoConfig.FreeLoopbackPort();
            var daemon = _daemon = await Daemon.StartAsync(DemoConfig.Build(WorkDir, _options, mqttPort), _loggers, clock, stop.Token);
            if (daemon.RulesLoaded is not { Ok: true })
                throw new InvalidOperationException("the demo rules did not load: " + string.Join("; ", daemon.Rules.LoadErrors.Select(e => $"{e.File}:{e.Line}: {e.Message}")));
            daemon.Rules.TraceRecorded += OnTrace;
            if (daemon.History is { } history) history.SessionChanged += OnSession;
            var ocppPort = daemon.Server.Ports[0];
            Intro(ocppPort, mqttPort, daemon.Dashboard?.LocalUrl, DemoConfig.WriteSessionsConfig(WorkDir));

            var box = _box = new SimulatedWallbox(
                new SimulatedBoxOptions { StationId = DemoConfig.StationId, Quirks = BoxQuirks.AllOn },
                clock, _loggers.CreateLogger<SimulatedWallbox>());
            client = new SimulatedBoxClient(box, new SimulatedBoxClientOptions
            {
                ServerUri = new Uri($"wss://127.0.0.1:{ocppPort}/"),
                Password = DemoConfig.Password,
                AcceptAnyServerCertificate = true, // the demo's self-signed certificate
                CallTimeout = BoxMessageTimeout * _options.Speed, // stays 30 s in real time
            }, _loggers.CreateLogger<SimulatedBoxClient>());
            var since = box.EventSequence;
            await client.StartAsync(stop.Token);
            await WaitForBoxReadyAsync(box, client, since, stop.Token);
            _connected.TrySetResult();
            clock.Start();
            box.PlugIn(Car);

            _display.Header();
            player = new SolarDayPlayer(day, mqttPort, clock).RunAsync(stop.Token);
            timers.Add(clock.CreateTimer(_ => Tick(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)));
            await player; // publishes until stopped; throws if the broker goes away
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        catch (PortInUseException e)
        {
            Console.Error.WriteLine($"bmw-rules demo: {e.MessageWith(e.Setting == "mqtt.port" ? "--mqtt-port" : "--port")}");
            exit = ExitCodes.Failure;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"bmw-rules demo: {e.Message}");
            exit = ExitCodes.Failure;
        }
        finally
        {
            foreach (var t in timers) await t.DisposeAsync();
            await stop.CancelAsync();
            await ShutdownAsync(player, client);
        }
        return exit;
    }

    private void Intro(int ocppPort, int mqttPort, string? dashboardUrl, string sessionsConfig)
    {
        var perSecond = _options.Speed >= 60 ? $"{_options.Speed / 60:0.#} virtual minutes" : $"{_options.Speed:0.#} virtual seconds";
        _display.Line($"bmw-rules demo: a simulated BMW wallbox charges a car ({Car.BatteryKWh:0} kWh battery at {Car.StartSocPercent:0} %) through a synthetic sunny day,");
        _display.Line($"driven by the example rules {string.Join(", ", DemoResources.RuleFiles.Select(Path.GetFileNameWithoutExtension))} (1 real second = {perSecond}).");
        _display.Line($"  the box connects to  wss://127.0.0.1:{ocppPort}/{DemoConfig.StationId}  (self-signed certificate)");
        _display.Line($"  watch MQTT alongside: {WatchCommand(mqttPort)}");
        if (dashboardUrl is not null) _display.Line($"  open the dashboard:   {dashboardUrl}");
        _display.Line($"  its sessions (while it runs): bmw-rules sessions --csv --config {sessionsConfig}");
        _display.Line("Ctrl+C to stop.");
    }

    /// <summary>The mosquitto_sub line the intro prints: every topic the demo uses, with the topic in front of each message.</summary>
    internal static string WatchCommand(int mqttPort) =>
        $"mosquitto_sub -h 127.0.0.1 -p {mqttPort} {string.Concat(DemoConfig.WatchTopics.Select(t => $"-t '{t}' "))}-v";

    /// <summary>
    /// Until the box is connected and holds the controller's TxDefaultProfile: a car plugged in before that
    /// would draw full power for minutes (quirk 5), as at a real box that was offline.
    /// </summary>
    private async Task WaitForBoxReadyAsync(SimulatedWallbox box, SimulatedBoxClient client, long since, CancellationToken ct)
    {
        var ready = box.WaitForAsync(e => e.Kind == SimulatorEventKind.CallReceived && e.Action == "SetChargingProfile"
            && e.Payload?["chargingProfile"]?["chargingProfilePurpose"]?.GetValue<string>() == "TxDefaultProfile", since, ct);
        try
        {
            await ready.WaitAsync(ConnectTimeout, _real, ct);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"the simulated box was not set up within {ConnectTimeout.TotalSeconds:0} s: "
                + (client.LastConnectError?.Message ?? (box.IsConnected ? "no charging profile arrived" : "it did not connect")));
        }
    }

    /// <summary>Once a virtual minute: a display line when something changed, milestones, a new car each new day.</summary>
    private void Tick()
    {
        if (!_tickLock.TryEnter()) return; // the previous tick still runs (a slow console)
        try
        {
            if (_daemon is not { } daemon || _box is not { } box || _clock is not { } clock) return;
            var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), clock.LocalTimeZone);
            if (DateOnly.FromDateTime(now.DateTime) is var today && today != _day)
            {
                _day = today;
                box.Unplug();
                box.PlugIn(Car);
                _display.Event(now, $"a new day: the car came home at {Car.StartSocPercent:0} % and is plugged in again");
            }
            var control = daemon.Controllers.Find(DemoConfig.StationId)!.Control;
            var snapshot = new DemoSnapshot(now, daemon.Signals.Get(DemoDay.SolarSignal).Value,
                control.EffectiveLimit, control.LimitSource, box.AppliedLimitAmps ?? box.HardwareMaxAmps,
                box.PowerW, box.CarSocPercent, box.ChargingState ?? "no session");
            _display.Show(snapshot);
            if (snapshot.Paused) _paused.TrySetResult();
            else if (_paused.Task.IsCompleted && snapshot.Charging) _resumed.TrySetResult();
        }
        finally
        {
            _tickLock.Exit();
        }
    }

    /// <summary>A finished session as the history recorded it (what <c>bmw-rules sessions</c> and the dashboard list).</summary>
    private void OnSession(ChargingSession session)
    {
        if (session.EndedAt is not { } ended || _clock is not { } clock) return;
        var solar = session.SolarShare is { } share ? $", {share:0%} solar" : "";
        var cost = session.Cost is { } c ? $", {c:0.00} {session.Currency}" : "";
        _display.Event(TimeZoneInfo.ConvertTime(ended, clock.LocalTimeZone),
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"session recorded in the history: {session.EnergyKWh:0.0} kWh{solar}{cost}"));
    }

    private void OnTrace(RuleTrace trace)
    {
        if (trace.Actions.Count == 0 && trace.Error is null) return; // looked, did nothing
        _ruleActions.Enqueue(trace);
        if (_clock is { } clock) _display.RuleActed(trace, TimeZoneInfo.ConvertTime(trace.FinishedAt, clock.LocalTimeZone));
        _ruleActed.TrySetResult();
    }

    /// <summary>Box first (so it does not reconnect into a stopping server), then the daemon (publishes offline), then the files.</summary>
    private async Task ShutdownAsync(Task player, SimulatedBoxClient? client)
    {
        Stopping?.Invoke();
        try { await player; }
        catch { /* a failure was reported by RunAsync */ }
        if (client is not null) await client.DisposeAsync();
        if (_box is not null) await _box.DisposeAsync();
        if (_daemon is { } daemon)
        {
            daemon.Rules.TraceRecorded -= OnTrace;
            if (daemon.History is { } history) history.SessionChanged -= OnSession;
            await daemon.DisposeAsync();
        }
        var removed = true;
        try
        {
            if (Directory.Exists(WorkDir)) Directory.Delete(WorkDir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            removed = false;
            Console.Error.WriteLine($"bmw-rules demo: could not remove {WorkDir}: {e.Message}");
        }
        if (_clock is { } clock && _box is { } box)
        {
            var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), clock.LocalTimeZone);
            _display.Line($"Stopped at {now:HH:mm} (virtual): {_ruleActions.Count} rule action(s), {box.EnergyRegisterWh / 1000:0.0} kWh charged."
                + (removed ? " Temporary files removed." : ""));
        }
    }

    private static TaskCompletionSource NewMilestone() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

using System.Collections.Concurrent;
using BmwWallbox.Core;
using BmwWallbox.Charging;
using BmwWallbox.Composition;
using BmwWallbox.History;
using BmwWallbox.Ocpp;
using BmwWallbox.Ocpp.Messages;
using BmwWallbox.SimulatedBox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BmwWallbox.Simulation;

/// <summary>
/// Replays recorded signals through the daemon's own parts in virtual time: the rules runtime, the
/// charge controller talking OCPP through the in-process CSMS, and the simulated BMW box with its car
/// (the one source of the car's power and state of charge), plus the house model. The clock moves
/// from sample to sample and from timer to timer; before each move the run waits until the rules, the
/// controller, the CSMS and the box are all quiet, so a run is deterministic and every reaction
/// happens at the virtual instant it would have happened.
/// </summary>
public sealed class SimulationRunner : IAsyncDisposable
{
    /// <summary>More settle rounds than this at one instant means two parts keep waking each other.</summary>
    private const int MaxSettleRounds = 10_000;

    private readonly SimulationSetup _setup;
    private readonly ColumnMapping _columns;
    private readonly ManualClock _clock;
    private readonly CountingClock _controllerClock;
    private readonly InProcessCsms _csms;
    private readonly InMemoryIo _io;
    private readonly WallboxRuntime _runtime;
    private readonly ChargeController _controller;
    private readonly SimulatedWallbox _box;
    private readonly BoxConnection _connection;
    private readonly HouseModel _house;
    private readonly CarModel _car;
    private readonly SimulatedCar _simulatedCar;
    private readonly ConcurrentQueue<(string RuleId, DateTimeOffset At, bool Acted, string? Error)> _ruleRuns = new();
    private long _wallboxEvents;
    private long _controllerWorkSeen;
    private double _reportedPowerW = double.NaN;
    private readonly Queue<TimedMessage> _messages;

    /// <summary>A session of a simulated year is saved every 15 virtual minutes, not every 30 s: nothing can crash half-way.</summary>
    private static readonly TimeSpan HistorySaveInterval = TimeSpan.FromMinutes(15);

    private SimulationRunner(SimulationSetup setup, IReadOnlyList<string> columns, ManualClock clock, ILoggerFactory loggers, string? historyDatabase = null)
    {
        _setup = setup;
        _columns = ColumnMapping.Create(setup, columns, "the data");
        _car = new CarModel(setup.Car, setup.Hardware, setup.TimeZone);
        _house = new HouseModel(columns, setup.House);
        _clock = clock;
        _controllerClock = _clock.CountingView();
        _messages = new Queue<TimedMessage>(setup.Messages.OrderBy(m => m.At));

        var ocpp = new OcppOptions
        {
            Stations = [new StationOptions { Id = setup.StationId, Password = "simulated-station", Name = setup.StationName }],
            CommandTimeout = setup.CommandTimeout,
        };
        _csms = new InProcessCsms(ocpp, loggers, _clock);
        _csms.States.Changed += _ => Interlocked.Increment(ref _wallboxEvents);
        _io = new InMemoryIo(setup.Signals, new TopicLayout(setup.BaseTopic), _clock);
        _runtime = new WallboxRuntime(new WallboxRuntimeOptions
        {
            Charging = new ChargingCoreOptions
            {
                Wallbox = setup.Wallbox,
                // Polling every 10 s while charging would be most of the work of a year; the run asks for meter
                // values whenever the car's power changed instead (see ReportMeterAsync), so rules see the same power, only sooner.
                MeterPolling = false,
                ControllerTime = _controllerClock,
                Plan = setup.Plan,
                PlanTimeZone = setup.TimeZone,
            },
            Rules = setup.Rules,
            TimeZone = setup.TimeZone,
            Modes = setup.Modes,
            DerivedSignals = setup.DerivedSignals,
            History = setup.History is { } history && historyDatabase is not null ? new HistoryStorage(history, historyDatabase, HistorySaveInterval) : null,
        }, _csms, _ => _io, _clock, loggers);
        _controller = _runtime.Charging.ControllerOf(setup.StationId);

        _box = new SimulatedWallbox(new SimulatedBoxOptions
        {
            StationId = setup.StationId,
            Phases = setup.Hardware.Phases,
            VoltageV = setup.Hardware.Voltage,
            HardwareMaxAmps = setup.Hardware.MaxCurrent,
            SendHeartbeats = false, // a year of heartbeats is millions of calls that change nothing
            EventLogCapacity = 0,
            Quirks = setup.Quirks,
            PhaseSwitching = setup.Hardware.PhaseSwitching,
        }, _clock, loggers.CreateLogger<SimulatedWallbox>());
        _simulatedCar = new SimulatedCar
        {
            // The box's car stores every Wh it draws; a larger battery makes its SoC rise by the efficiency.
            BatteryKWh = setup.Car.BatteryKwh / setup.Car.ChargeEfficiency,
            StartSocPercent = setup.Car.StartSoc,
            TargetSocPercent = setup.Car.TargetSoc,
            MaxCurrentAmps = setup.Car.MaxCurrent,
            MinCurrentAmps = CarModel.MinChargeCurrent,
            Phases = setup.Car.Phases,
        };
        _connection = new BoxConnection(_box, _csms, loggers.CreateLogger<BoxConnection>());

        _runtime.Rules.TraceRecorded += trace =>
        {
            // A firing is a run that acted (claimed, released, ran its actions), not one whose conditions failed;
            // a run that ended in an error is counted too (no log is shown in a simulation).
            if (trace.Actions.Count > 0 || trace.Error is not null)
                _ruleRuns.Enqueue((trace.RuleId, trace.StartedAt, trace.Actions.Count > 0, trace.Error));
        };
    }

    /// <summary>
    /// Runs the whole input and writes timeline.csv, summary.json and chart.html into <paramref name="outDir"/>.
    /// Throws <see cref="SimulationSetupException"/> when the rules do not load (nothing is written then) and
    /// <see cref="SignalCsvException"/> at a bad row of the data; <see cref="SimulationStuckException"/> when it stops
    /// making progress for <see cref="SimulationSetup.StallLimit"/> (it never hangs). <paramref name="loggers"/> gets the
    /// run's virtual clock, so what is logged can carry the virtual time; the run disposes the factory it made.
    /// </summary>
    public static async Task<SimulationResult> RunAsync(SimulationSetup setup, ISignalData data, string outDir, string title,
        Action<SimulationProgress>? progress = null, Func<TimeProvider, ILoggerFactory>? loggers = null, CancellationToken ct = default)
    {
        using var steps = data.ReadSteps().GetEnumerator();
        if (!steps.MoveNext()) throw new SimulationSetupException("the data has no samples after the header line");

        var historyDatabase = setup.History is { Enabled: true } ? FreshHistory(outDir) : null;
        var clock = new ManualClock(steps.Current.Sample.Time);
        using var logs = loggers?.Invoke(clock);
        var runner = new SimulationRunner(setup, data.Columns, clock, logs ?? NullLoggerFactory.Instance, historyDatabase);
        SimulationRecorder? recorder = null;
        string? sessions = null;
        try
        {
            await using (var watchdog = new SimulationWatchdog(setup.StallLimit, runner.DescribeWait))
            {
                runner._watchdog = watchdog;
                // The outputs are opened once the rules have loaded: a run that cannot start writes nothing.
                var run = runner.ReplayAsync(steps, data, outDir,
                    () => recorder = new SimulationRecorder(outDir, data.Columns, setup.TimeZone, OptimumLimits.Of(setup)), progress, ct);
                if (await Task.WhenAny((Task)run, watchdog.Tripped) != run)
                    throw new SimulationStuckException(await watchdog.Tripped); // the stuck parts are left behind
                sessions = await run;
            }
            var summary = await recorder!.CompleteAsync(title, ct);
            return Result(summary, outDir) with { SessionsPath = sessions };
        }
        finally
        {
            if (recorder is not null) await recorder.DisposeAsync();
        }
    }

    private static SimulationResult Result(SimulationSummary summary, string outDir) =>
        new(summary,
            Path.Combine(outDir, SimulationRecorder.TimelineFile),
            Path.Combine(outDir, SimulationRecorder.SummaryFile),
            Path.Combine(outDir, SimulationRecorder.ChartFile));

    /// <summary>Start, every step, and the shutdown of the parts: everything that runs in virtual time.</summary>
    /// <returns>The sessions.csv written, or null when the run records no history.</returns>
    private async Task<string?> ReplayAsync(IEnumerator<(SignalSample Sample, TimeSpan Duration)> steps, ISignalData data, string outDir,
        Func<SimulationRecorder> openRecorder, Action<SimulationProgress>? progress, CancellationToken ct)
    {
        await using var _ = this;
        await StartAsync(ct);
        var recorder = openRecorder();
        var count = 0;
        do
        {
            var (sample, duration) = steps.Current;
            await StepAsync(sample, duration, recorder, ct);
            if (++count % 500 == 0) progress?.Invoke(new SimulationProgress(data.Progress, sample.Time + duration, count));
        } while (steps.MoveNext());
        WaitingFor("the history to save its sessions");
        var sessions = await WriteSessionsAsync(outDir, ct);
        WaitingFor("the rules, the controller, the CSMS and the box to stop");
        return sessions;
    }

    /// <summary>Once everything is recorded: sessions.csv beside history.db (the session still open at the end included, without an end).</summary>
    private async Task<string?> WriteSessionsAsync(string outDir, CancellationToken ct)
    {
        if (_runtime.History is not { } history) return null;
        await history.IdleAsync();
        var path = Path.Combine(outDir, SessionsFile);
        await using var file = new StreamWriter(path);
        SessionCsv.Write(await history.QueryAsync(new SessionQuery(), ct), _setup.TimeZone, file);
        return path;
    }

    /// <summary>The run's history.db in the output folder, without the sessions of an earlier run there.</summary>
    private static string FreshHistory(string outDir)
    {
        Directory.CreateDirectory(outDir);
        var path = Path.Combine(outDir, HistoryFile);
        foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        return path;
    }

    public const string HistoryFile = "history.db";
    public const string SessionsFile = "sessions.csv";

    private SimulationWatchdog? _watchdog;
    private volatile string _waitingFor = "the start";

    /// <summary>What the loop waits for now (for the watchdog's message); each call is a heartbeat.</summary>
    private void WaitingFor(string what)
    {
        _waitingFor = what;
        _watchdog?.Beat();
    }

    private string DescribeWait() =>
        $"simulate made no progress for {Durations.Format(_setup.StallLimit)} at virtual time {_clock.GetUtcNow().UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} "
        + $"({TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), _setup.TimeZone):yyyy-MM-dd HH:mm:ss} local), waiting for {_waitingFor} "
        + $"(box {(_box.IsConnected ? "connected" : "not connected")}, boot {(_box.IsBootAccepted ? "accepted" : "not accepted")}; {_connection.Describe()}); "
        + "two parts are waiting for each other (please report it with the data and rules)";

    /// <summary>
    /// The box connects and boots, the controller sets it up, then the runtime starts the rules (as in the
    /// daemon, where they start before the box dials in; the in-process CSMS takes sessions from construction on).
    /// </summary>
    private async Task StartAsync(CancellationToken ct)
    {
        _box.AttachInProcess(_connection);
        await SettleAsync(ct);
        var loaded = await _runtime.StartAsync(ct);
        if (!loaded.Ok)
            throw new SimulationSetupException($"the rules in {_setup.Rules.Dir} do not load ({loaded.Errors.Count} error(s))",
                loaded.Errors.Select(e => e.ToString()).ToList());
        await SettleAsync(ct);
    }

    private async Task StepAsync(SignalSample sample, TimeSpan duration, SimulationRecorder recorder, CancellationToken ct)
    {
        var start = sample.Time;
        PublishMessagesDue(start);
        SyncPlug(start);
        _house.Update(sample);
        foreach (var (column, signal) in _columns.Fed)
            if (sample.TryGetValue(column, out var value)) _io.Store.Set(signal, value);
        PublishGrid();
        // The clock stands at the sample's instant with that instant's timers not yet run (see MoveTo below):
        // they run now, after the sample, so a stale or for: timer due at the boundary sees the new value.
        await SettleAsync(ct);
        await RunDueTimersAsync(ct);
        await ReportMeterAsync(ct);

        var control = _controller.Control;
        var plugged = _box.IsCarPlugged;
        var phases = _box.ChargingPhases;
        var energyBefore = _box.EnergyRegisterWh;
        var end = start + duration;
        // The intervals of constant car power inside the step, each split into solar and grid on its own (see StepFlows).
        var intervals = new IntervalFlows();
        var (intervalStart, intervalEnergy, intervalPower) = (start, energyBefore, _box.PowerW);
        while (true)
        {
            var now = _clock.GetUtcNow();
            var next = end;
            if (_clock.NextDue() is { } due && due < next) next = due;
            if (_car.NextPlugChange(now) is var plugChange && plugChange < next) next = plugChange;
            if (_messages.TryPeek(out var message) && message.At < next) next = message.At > now ? message.At : now;
            if (next >= end) break;
            _clock.MoveTo(next);
            await RunDueTimersAsync(ct);
            PublishMessagesDue(next);
            SyncPlug(next);
            await SettleAsync(ct);
            await ReportMeterAsync(ct);
            if (_box.PowerW != intervalPower)
            {
                var energy = _box.EnergyRegisterWh;
                AddInterval(ref intervals, next - intervalStart, energy - intervalEnergy);
                (intervalStart, intervalEnergy, intervalPower) = (next, energy, _box.PowerW);
            }
        }
        // Up to the next sample's instant, leaving the timers due then until that sample is applied.
        _clock.MoveTo(end);

        // The box integrates the car's energy exactly; its average over the step is the step's car power.
        var energyAfter = _box.EnergyRegisterWh;
        var carW = duration > TimeSpan.Zero ? (energyAfter - energyBefore) / duration.TotalHours : _box.PowerW;
        StepFlows? split = null;
        if (intervals.Count > 0)
        {
            AddInterval(ref intervals, end - intervalStart, energyAfter - intervalEnergy);
            split = intervals.Average(carW, duration.TotalHours);
        }
        recorder.Step(new SimulationStep(start, duration, control.EffectiveLimit, control.LimitSource, _house.Balance(carW), _house.Price,
            plugged, _box.CarSocPercent, phases, split), sample);
        while (_ruleRuns.TryDequeue(out var run))
        {
            if (run.Acted) recorder.RuleFired(run.RuleId, run.At);
            if (run.Error is { } error) recorder.RuleFailed(run.RuleId, run.At, error);
        }
    }

    /// <summary>An interval of a step in which the car drew <paramref name="carWh"/> at one power, with the step's solar and house.</summary>
    private void AddInterval(ref IntervalFlows intervals, TimeSpan length, double carWh)
    {
        if (length <= TimeSpan.Zero) return;
        var hours = length.TotalHours;
        intervals.Add(_house.Balance(carWh / hours), hours);
    }

    /// <summary>The messages due by <paramref name="at"/>, in order, delivered synchronously by the in-process bus.</summary>
    private void PublishMessagesDue(DateTimeOffset at)
    {
        while (_messages.TryPeek(out var message) && message.At <= at)
        {
            _messages.Dequeue();
            _ = _io.Bus.PublishAsync(message.Topic, message.Payload, message.Retain);
        }
    }

    /// <summary>
    /// When the car's power changed, the CSMS asks the box for meter values (TriggerMessage, as the
    /// controller's polling does) so wallbox.power and current are what rules would see, and the grid
    /// meter shows the new car power at once, as a real meter would.
    /// </summary>
    private async Task ReportMeterAsync(CancellationToken ct)
    {
        var power = _box.PowerW;
        if (power == _reportedPowerW) return;
        _reportedPowerW = power;
        PublishGrid();
        // The new grid reading sets off the charge mode: it must see the car's power of before, not whichever comes first.
        await SettleAsync(ct);
        WaitingFor("the box's answer to TriggerMessage(MeterValues)");
        if (_box.IsBootAccepted)
            await _csms.Commands.TriggerMessageAsync(_setup.StationId, new TriggerMessageRequest(MessageTrigger.MeterValues, new Evse(_setup.Wallbox.EvseId)), ct);
        await SettleAsync(ct);
    }

    /// <summary>The simulated grid meter: house + car − solar, with the car as it draws at this moment.</summary>
    private void PublishGrid()
    {
        if (_columns.SimulatedGrid is { } grid) _io.Store.Set(grid, _house.Balance(_box.PowerW).GridW);
    }

    private void SyncPlug(DateTimeOffset at)
    {
        var wanted = _car.IsPluggedIn(at);
        if (wanted == _box.IsCarPlugged) return;
        if (wanted) _box.PlugIn(_simulatedCar);
        else _box.Unplug();
    }

    /// <summary>
    /// Lets everything that was set off at this instant run to the end: rule work, controller work (started
    /// by wallbox events or its timers), calls in both directions between CSMS and box, and sessions the box
    /// closed. Done when one round finds all of them quiet and nothing happened on the link.
    /// </summary>
    private async Task SettleAsync(CancellationToken ct)
    {
        for (var round = 0; round < MaxSettleRounds; round++)
        {
            var boxEvents = _box.EventSequence;
            WaitingFor("the CSMS to close the box's old session");
            await _connection.WhenSessionsClosedAsync(ct);
            WaitingFor("the rules");
            if (!_runtime.Rules.IsIdle) await _runtime.Rules.WhenIdleAsync(ct);
            // A charge mode claims on its own worker (on a signal, a station event or its timer) and waits for the controller.
            if (_runtime.Modes is { IsIdle: false } modes) await modes.WhenIdleAsync().WaitAsync(ct);
            var controllerWork = ControllerWork();
            if (controllerWork != _controllerWorkSeen)
            {
                WaitingFor("the charge controller");
                await _controller.WhenIdleAsync(ct);
                _controllerWorkSeen = controllerWork;
            }
            WaitingFor("the box's messages to the CSMS");
            await _box.FlushAsync(ct);
            if (_box.EventSequence == boxEvents && _runtime.Rules.IsIdle && _runtime.Modes is null or { IsIdle: true }
                && ControllerWork() == _controllerWorkSeen && !_connection.HasClosingSessions)
                return;
        }
        throw new InvalidOperationException($"The simulation does not settle at {_clock.GetUtcNow():O}: rules, controller and box keep waking each other");
    }

    /// <summary>
    /// Runs the timers due now one at a time and lets everything each set off settle before the next: when a rule's
    /// timer and the charge mode's fall on one instant, their claims reach the controller in the order the timers
    /// were armed, every run the same (run together, which claim came first was a race between their threads).
    /// </summary>
    private async Task RunDueTimersAsync(CancellationToken ct)
    {
        while (_clock.RunNextDue()) await SettleAsync(ct);
    }

    /// <summary>Everything that queues work on the controller without a caller waiting for it.</summary>
    private long ControllerWork() => Interlocked.Read(ref _wallboxEvents) + _controllerClock.Fired;

    /// <summary>The box first (as in the demo), then the runtime: rules, signals, controller, CSMS.</summary>
    public async ValueTask DisposeAsync()
    {
        await _box.DisposeAsync();
        await _runtime.DisposeAsync();
    }
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// A BMW-like OCPP 2.0.1 charging station (one EVSE, one connector) with a car model, independent
/// of any transport. All timing comes from the injected <see cref="TimeProvider"/>.
/// <para>Drive it over a socket with <see cref="SimulatedBoxClient"/>, or in-process with
/// <see cref="AttachInProcess"/>, <see cref="HandleCallAsync"/> and <see cref="FlushAsync"/>.</para>
/// <para>A façade: it wires the box's parts together and runs every change under their one lock
/// (<see cref="StationGate"/>); the behaviour lives in the parts.</para>
/// </summary>
public sealed class SimulatedWallbox : IAsyncDisposable
{
    private readonly SimulatedBoxOptions _options;
    private readonly TimeProvider _time;
    private readonly StationGate _gate;
    private readonly DeviceModel _device;
    private readonly EventLog _events;
    private readonly Availability _availability = new();
    private readonly MessageQueue _queue = new();
    private readonly EnergyMeter _meter;
    private readonly ProfileStack _profiles;
    private readonly BootSequence _boot;
    private readonly CsmsLink _link;
    private readonly DeliveryPump _pump;
    private readonly TransactionLifecycle _transactions;
    private readonly ChargeRegulator _regulator;
    private readonly Connector _connector;
    private readonly CallDispatcher _calls;

    public SimulatedWallbox(SimulatedBoxOptions options, TimeProvider? timeProvider = null, ILogger<SimulatedWallbox>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        var log = (ILogger?)logger ?? NullLogger.Instance;
        _gate = new StationGate(this, _time, log, options.StationId);
        _device = new DeviceModel(options);
        _events = new EventLog(options.EventLogCapacity);
        var now = _time.GetUtcNow();
        _meter = new EnergyMeter(options, now);
        var sampler = new MeterSampler(options, _meter);
        _profiles = new ProfileStack(options);
        _boot = new BootSequence(options, _device);
        _link = new CsmsLink(options, _gate, _queue, _boot, _availability, _device, _events, log);
        _pump = new DeliveryPump(options, _gate, _link, _queue, _boot, _events, log);
        _gate.BeforeRelease = _pump.TakeStart;
        _transactions = new TransactionLifecycle(options, _gate, _device, _profiles, _meter, sampler, _link, _availability,
            _events, log, now, BringUpToDate);
        _regulator = new ChargeRegulator(options, _gate, _meter, _profiles, _transactions, _availability, _link, _device, _events);
        var aligned = new AlignedMeterValues(_gate, _regulator, _link, sampler, _device, _transactions);
        var reboot = new RebootCycle(options, _gate, _availability, _regulator, _transactions, _link, _profiles, _boot, _events, log);
        _link.SessionReady = new SessionStart(options, _transactions, _regulator, _queue, _boot, _device).OnReady;
        _transactions.AfterEnd = reboot.OnIdle;
        _connector = new Connector(options, _meter, _regulator, _transactions, _availability, _profiles, _link);
        var afterReply = new AfterReply();
        _calls = new CallDispatcher(options, _gate, _link, _boot, _availability, _events, log, afterReply,
            new SmartChargingCalls(options, _profiles, _transactions, _regulator, _link, afterReply, log),
            new TransactionCalls(options, _transactions, _meter, _availability, _regulator, _queue),
            new DeviceModelCalls(_device, _link, _transactions, aligned, afterReply),
            new StationCalls(reboot, _availability, _regulator, _transactions, sampler, _link, afterReply));
    }

    public SimulatedBoxOptions Options => _options;
    public TimeProvider TimeProvider => _time;
    public string StationId => _options.StationId;
    public double HardwareMaxAmps => _options.EffectiveHardwareMaxAmps;

    // ---- Observable state (thread-safe snapshots) ----

    /// <summary>A session to the CSMS is open (it may still wait for BootNotification to be accepted).</summary>
    public bool IsConnected => _gate.Locked(this, static b => b._link.IsOpen);
    public bool IsBootAccepted => _gate.Locked(this, static b => b._link.IsBootAccepted);
    public bool IsRebooting => _gate.Locked(() => _availability.Rebooting);
    /// <summary>Quirk 10: the box is stuck after RequestStopTransaction until unplug or reboot.</summary>
    public bool IsFinishing => _gate.Locked(() => _transactions.Finishing);
    /// <summary>Quirk 1 strict: the session is broken; every call gets a CALLERROR until reconnect.</summary>
    public bool IsDesynchronised => _gate.Locked(() => _link.IsDesynchronised);
    public int BootCount => _gate.Locked(() => _boot.Count);
    /// <summary>Available, Occupied, Unavailable or Faulted.</summary>
    public string ConnectorStatus => _gate.Locked(() => _regulator.ConnectorStatus);
    /// <summary>chargingState of the live transaction, null without one.</summary>
    public string? ChargingState => _gate.Locked(() => _transactions.Current?.ChargingState);
    /// <summary>The box's live transaction id (after quirk 9 it differs from what the CSMS last saw).</summary>
    public string? TransactionId => _gate.Locked(() => _transactions.Current?.Id);

    /// <summary>
    /// The current limit the box actually enforces from its installed profiles, in A per phase
    /// (W profiles converted); null = no profile in force, i.e. the hardware maximum.
    /// Quirks 4 and 5 make it null although profiles are installed.
    /// </summary>
    public double? AppliedLimitAmps => _gate.Locked(() => _regulator.AppliedLimit);

    /// <summary>The current the car draws per phase, in A.</summary>
    public double ChargingCurrentAmps => _gate.Locked(() => _meter.CurrentA);
    public int ChargingPhases => _gate.Locked(this, static b => b._meter.CurrentPhases);
    /// <summary>How often the car went on charging on another number of phases (only a box that switches does).</summary>
    public int PhaseSwitches => _gate.Locked(() => _regulator.PhaseSwitches);
    public double PowerW => _gate.Locked(this, static b => b._meter.PowerW);
    /// <summary>The cumulative Energy.Active.Import.Register, integrated up to now.</summary>
    public double EnergyRegisterWh => _gate.Locked(this, static b => { b._meter.Integrate(b._time.GetUtcNow()); return b._meter.EnergyWh; });
    public bool IsCarPlugged => _gate.Locked(this, static b => b._meter.Car is not null);
    public double? CarSocPercent => _gate.Locked(this, static b => { b._meter.Integrate(b._time.GetUtcNow()); return b._meter.Car is null ? (double?)null : b._meter.SocPercent; });
    public IReadOnlyList<ChargingProfile> InstalledProfiles => _gate.Locked<IReadOnlyList<ChargingProfile>>(() => [.. _profiles.Installed]);
    /// <summary>Number of station→CSMS messages waiting (TransactionEvents survive drops).</summary>
    public int QueuedMessageCount => _gate.Locked(() => _queue.Count);

    /// <summary>Current device-model value, e.g. ("SampledDataCtrlr", "TxUpdatedInterval"); null if unknown.</summary>
    public string? GetVariable(string component, string variable, string? instance = null)
        => _gate.Locked(() => _device.Find(component, variable, instance)?.Value);

    // ---- The car and the connector ----

    /// <summary>
    /// Plugs a car in: TransactionEvent Started (EVConnected), then charging as the limits allow —
    /// with <see cref="SimulatedBoxOptions.AuthorizationEnabled"/> only once the session is authorized.
    /// </summary>
    public void PlugIn(SimulatedCar car)
    {
        ArgumentNullException.ThrowIfNull(car);
        car.Validate();
        _gate.Mutate(now => _connector.PlugIn(now, car));
    }

    /// <summary>Unplugs the car: TransactionEvent Ended (StopTxOnEVSideDisconnect), connector Available.</summary>
    public void Unplug() => _gate.Mutate(_connector.Unplug);

    /// <summary>The car stops drawing on its own (SuspendedEV), e.g. a timer in the car.</summary>
    public void SuspendByCar() => _gate.Mutate(now => _connector.SetCarSuspended(now, true));

    public void ResumeByCar() => _gate.Mutate(now => _connector.SetCarSuspended(now, false));

    /// <summary>The box reports a fault (connector Faulted, SuspendedEVSE; quirk 7 locks TxProfiles).</summary>
    public void InjectFault() => _gate.Mutate(_connector.InjectFault);

    public void ClearFault() => _gate.Mutate(_connector.ClearFault);

    // ---- The CSMS ----

    /// <summary>
    /// A transport opened a session (socket connected). Messages are delivered automatically, one
    /// CALL at a time. The transport reports the end with <see cref="Disconnect"/>.
    /// </summary>
    public void Connect(ICsmsChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _gate.Mutate(now => _link.Connect(now, channel));
    }

    /// <summary>The transport lost the session (socket closed). Ignored for a channel that is no longer current.</summary>
    public void Disconnect(ICsmsChannel channel, string reason)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (_gate.IsDisposed) return;
        _gate.Mutate(now => _link.Disconnect(now, channel, reason));
    }

    /// <summary>
    /// In-process mode (<c>simulate</c>): <paramref name="channel"/> is the CSMS for good. The box
    /// reconnects to it by itself after drops and reboots (in virtual time). Messages are delivered
    /// only when you call <see cref="FlushAsync"/>, so a run stays deterministic.
    /// </summary>
    public void AttachInProcess(ICsmsChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _gate.Mutate(now => _link.AttachInProcess(now, channel));
    }

    /// <summary>
    /// Simulates a network drop: the session ends (the channel's Close is called) and the box
    /// reconnects after back-off — by itself in-process, through <see cref="SimulatedBoxClient"/> on a socket.
    /// </summary>
    public void DropConnection(string reason = "network drop") => _gate.Mutate(now => _link.Lose(now, reason, closeChannel: true));

    /// <summary>Completes when the box is not rebooting (a transport may connect).</summary>
    public Task WaitUntilCanConnectAsync(CancellationToken cancellationToken = default) =>
        _gate.Locked(() => _availability.CanConnect.WaitAsync(cancellationToken));

    /// <summary>
    /// In-process mode: delivers queued station→CSMS messages one by one through the channel until
    /// nothing is deliverable (including what the CSMS's reactions queue meanwhile). A call from
    /// inside the CSMS handler returns at once; the running flush delivers it.
    /// </summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _pump.FlushAsync(cancellationToken);

    /// <summary>
    /// In-process: handles one CSMS→station CALL and returns the CALLRESULT payload, or throws
    /// <see cref="OcppCallErrorException"/> for a CALLERROR. Follow-up messages (TriggerMessage,
    /// GetBaseReport, a transaction started remotely) are queued for <see cref="FlushAsync"/>;
    /// a Reset starts the reboot before this returns.
    /// </summary>
    public async Task<JsonNode> HandleCallAsync(string action, JsonNode? payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        return await _calls.HandleInProcessAsync(action, payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// As <see cref="HandleCallAsync"/>, with the CALLRESULT payload as JSON text, for an in-process transport that
    /// sends it on as a frame anyway (no copy of the answer parsed off the wire is made for it).
    /// </summary>
    public async Task<string> HandleCallAsJsonAsync(string action, JsonNode? payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        return await _calls.HandleInProcessAsJsonAsync(action, payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For transports: the answer, plus what to run once the answer is on the wire.</summary>
    internal Task<CallOutcome> HandleIncomingAsync(string action, JsonNode? payload, CancellationToken cancellationToken) =>
        _calls.HandleAsync(action, payload, cancellationToken);

    /// <summary>Quirk 1 strict: a reply with an id the box is not waiting for breaks the session.</summary>
    internal void ReportUnknownMessageId(string messageId) => _gate.Mutate(now => _link.ReportUnknownMessageId(now, messageId));

    internal void RecordConnectFailed(string error) => _events.Add(_time.GetUtcNow(), SimulatorEventKind.ConnectFailed, detail: error);

    internal TimeSpan Backoff(int attempt) => _link.Backoff(attempt);

    // ---- Observation for tests ----

    /// <summary>Sequence number the next event will get: pass it as <c>since</c> to await events caused after this point.</summary>
    public long EventSequence => _events.NextSequence;

    /// <summary>The retained events (bounded by <see cref="SimulatedBoxOptions.EventLogCapacity"/>).</summary>
    public IReadOnlyList<BoxEvent> Events => _events.Snapshot();

    /// <summary>Every CSMS→station call answered so far (within the retained events).</summary>
    public IReadOnlyList<BoxEvent> ReceivedCalls =>
        [.. _events.Snapshot().Where(e => e.Kind == SimulatorEventKind.CallReceived)];

    /// <summary>How many CSMS→station calls of this action the box has received (never trimmed).</summary>
    public int ReceivedCallCount(string action) => _events.ReceivedCount(action);

    /// <summary>How many station→CSMS messages of this action were delivered (never trimmed).</summary>
    public int SentMessageCount(string action) => _events.SentCount(action);

    /// <summary>
    /// Completes with the first event matching <paramref name="match"/> whose sequence is at least
    /// <paramref name="since"/> (default: from now on). Take <see cref="EventSequence"/> before acting to avoid races.
    /// </summary>
    public Task<BoxEvent> WaitForAsync(Func<BoxEvent, bool> match, long? since = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(match);
        return _events.WaitAsync(match, since ?? _events.NextSequence, cancellationToken);
    }

    /// <summary>Next answered CSMS→station call of <paramref name="action"/>.</summary>
    public Task<BoxEvent> WaitForCallAsync(string action, long? since = null, CancellationToken cancellationToken = default) =>
        WaitForAsync(e => e.Kind == SimulatorEventKind.CallReceived && e.Action == action, since, cancellationToken);

    /// <summary>Next station→CSMS message of <paramref name="action"/> that the CSMS answered (result or error).</summary>
    public Task<BoxEvent> WaitForSentAsync(string action, long? since = null, CancellationToken cancellationToken = default) =>
        WaitForAsync(e => e.Kind == SimulatorEventKind.MessageSent && e.Action == action && e.Detail is null, since, cancellationToken);

    /// <summary>Completes when a session is open and its BootNotification accepted (at once if it already is).</summary>
    public Task WaitForBootAcceptedAsync(CancellationToken cancellationToken = default)
    {
        var since = _events.NextSequence;
        return IsBootAccepted
            ? Task.CompletedTask
            : WaitForAsync(e => e.Kind == SimulatorEventKind.BootAccepted, since, cancellationToken);
    }

    /// <summary>Completes when <see cref="AppliedLimitAmps"/> equals <paramref name="amps"/> (null = hardware max), at once if it does.</summary>
    public Task WaitForAppliedLimitAsync(double? amps, CancellationToken cancellationToken = default)
    {
        var since = _events.NextSequence;
        return Nullable.Equals(AppliedLimitAmps, amps)
            ? Task.CompletedTask
            : WaitForAsync(e => e.Kind == SimulatorEventKind.LimitChanged && Nullable.Equals(e.Amps, amps), since, cancellationToken);
    }

    /// <summary>Completes when <see cref="ChargingState"/> equals <paramref name="state"/> ("None" = no transaction), at once if it does.</summary>
    public Task WaitForChargingStateAsync(string state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var since = _events.NextSequence;
        return (ChargingState ?? "None") == state
            ? Task.CompletedTask
            : WaitForAsync(e => e.Kind == SimulatorEventKind.ChargingStateChanged && e.Detail == state, since, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>For the parts built before the regulator (their timers fire only later).</summary>
    private void BringUpToDate(DateTimeOffset at) => _regulator.Update(at);
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// A BMW-like OCPP 2.0.1 charging station (one EVSE, one connector) with a car model, independent
/// of any transport. All timing comes from the injected <see cref="TimeProvider"/>.
/// <para>Drive it over a socket with <see cref="SimulatedBoxClient"/>, or in-process with
/// <see cref="AttachInProcess"/>, <see cref="HandleCallAsync"/> and <see cref="FlushAsync"/>.</para>
/// </summary>
public sealed partial class SimulatedWallbox : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SimulatedBoxOptions _options;
    private readonly BoxQuirks _quirks;
    private readonly DeviceModel _device;
    private readonly EventLog _events;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly List<Action> _deferred = [];
    private readonly string _txPrefix;
    private bool _disposed;

    // Station hardware state.
    private bool _faulted;
    private bool _inoperative;
    private string _connectorStatus = "Available";

    // The car.
    private SimulatedCar? _car;
    private double _socPercent;
    private bool _carSuspended;

    // Metering, integrated lazily between state changes.
    private double _energyWh;
    private DateTimeOffset _integratedUntil;
    private double _currentA;
    private int _currentPhases;

    public SimulatedWallbox(SimulatedBoxOptions options, TimeProvider? timeProvider = null, ILogger<SimulatedWallbox>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _quirks = options.Quirks;
        _time = timeProvider ?? TimeProvider.System;
        _log = (ILogger?)logger ?? NullLogger.Instance;
        _device = new DeviceModel(options);
        _events = new EventLog(options.EventLogCapacity);
        var now = _time.GetUtcNow();
        _integratedUntil = now;
        _energyWh = options.InitialEnergyWh;
        _txPrefix = now.ToUnixTimeSeconds().ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        _canConnect.SetResult();
        _evaluateTimer = NewTimer(OnEvaluateTimer);
        _heartbeatTimer = NewTimer(OnHeartbeatTimer);
        _txUpdatedTimer = NewTimer(OnTxUpdatedTimer);
        _alignedTimer = NewTimer(OnAlignedTimer);
        _rebootTimer = NewTimer(FinishReboot);
        _bootRetryTimer = NewTimer(OnBootRetryTimer);
        _reconnectTimer = NewTimer(OnReconnectTimer);
    }

    public SimulatedBoxOptions Options => _options;
    public TimeProvider TimeProvider => _time;
    public string StationId => _options.StationId;
    public double HardwareMaxAmps => _options.EffectiveHardwareMaxAmps;

    // ---- Observable state (thread-safe snapshots) ----

    /// <summary>A session to the CSMS is open (it may still wait for BootNotification to be accepted).</summary>
    public bool IsConnected { get { lock (_gate) return _sessionOpen; } }
    public bool IsBootAccepted { get { lock (_gate) return _sessionOpen && _boot == BootPhase.Accepted; } }
    public bool IsRebooting { get { lock (_gate) return _rebooting; } }
    /// <summary>Quirk 10: the box is stuck after RequestStopTransaction until unplug or reboot.</summary>
    public bool IsFinishing { get { lock (_gate) return _finishing; } }
    /// <summary>Quirk 1 strict: the session is broken; every call gets a CALLERROR until reconnect.</summary>
    public bool IsDesynchronised { get { lock (_gate) return _desynchronised; } }
    public int BootCount { get { lock (_gate) return _bootCount; } }
    /// <summary>Available, Occupied, Unavailable or Faulted.</summary>
    public string ConnectorStatus { get { lock (_gate) return _connectorStatus; } }
    /// <summary>chargingState of the live transaction, null without one.</summary>
    public string? ChargingState { get { lock (_gate) return _tx?.ChargingState; } }
    /// <summary>The box's live transaction id (after quirk 9 it differs from what the CSMS last saw).</summary>
    public string? TransactionId { get { lock (_gate) return _tx?.Id; } }

    /// <summary>
    /// The current limit the box actually enforces from its installed profiles, in A per phase
    /// (W profiles converted); null = no profile in force, i.e. the hardware maximum.
    /// Quirks 4 and 5 make it null although profiles are installed.
    /// </summary>
    public double? AppliedLimitAmps { get { lock (_gate) return _appliedLimit; } }

    /// <summary>The current the car draws per phase, in A.</summary>
    public double ChargingCurrentAmps { get { lock (_gate) return _currentA; } }
    public int ChargingPhases { get { lock (_gate) return _currentPhases; } }
    public double PowerW { get { lock (_gate) return _currentA * _options.VoltageV * _currentPhases; } }
    /// <summary>The cumulative Energy.Active.Import.Register, integrated up to now.</summary>
    public double EnergyRegisterWh { get { lock (_gate) { Integrate(_time.GetUtcNow()); return _energyWh; } } }
    public bool IsCarPlugged { get { lock (_gate) return _car is not null; } }
    public double? CarSocPercent { get { lock (_gate) { Integrate(_time.GetUtcNow()); return _car is null ? null : _socPercent; } } }
    public IReadOnlyList<ChargingProfile> InstalledProfiles { get { lock (_gate) return [.. _profiles]; } }
    /// <summary>Number of station→CSMS messages waiting (TransactionEvents survive drops).</summary>
    public int QueuedMessageCount { get { lock (_gate) return _outbox.Count; } }

    /// <summary>Current device-model value, e.g. ("SampledDataCtrlr", "TxUpdatedInterval"); null if unknown.</summary>
    public string? GetVariable(string component, string variable, string? instance = null)
    {
        lock (_gate) return _device.Find(component, variable, instance)?.Value;
    }

    // ---- The car ----

    /// <summary>
    /// Plugs a car in: TransactionEvent Started (EVConnected), then charging as the limits allow —
    /// with <see cref="SimulatedBoxOptions.AuthorizationEnabled"/> only once the session is authorized.
    /// </summary>
    public void PlugIn(SimulatedCar car)
    {
        ArgumentNullException.ThrowIfNull(car);
        car.Validate();
        Mutate(now =>
        {
            if (_car is not null) throw new InvalidOperationException("A car is already plugged in; call Unplug() first.");
            Update(now);
            _car = car;
            _socPercent = car.StartSocPercent;
            _carSuspended = false;
            UpdateStatus(now);
            StartTransaction(now, "CablePluggedIn");
            if (_quirks.ExtraMessages) EnqueuePlugInExtras(now);
            Update(now);
        });
    }

    /// <summary>Unplugs the car: TransactionEvent Ended (StopTxOnEVSideDisconnect), connector Available.</summary>
    public void Unplug() => Mutate(now =>
    {
        if (_car is null) throw new InvalidOperationException("No car is plugged in.");
        Update(now);
        EndTransaction(now, "EVCommunicationLost", "EVDisconnected", carLeaving: true);
        _car = null;
        _finishing = false;
        Update(now);
    });

    /// <summary>The car stops drawing on its own (SuspendedEV), e.g. a timer in the car.</summary>
    public void SuspendByCar() => SetCarSuspended(true);

    public void ResumeByCar() => SetCarSuspended(false);

    /// <summary>The box reports a fault (connector Faulted, SuspendedEVSE; quirk 7 locks TxProfiles).</summary>
    public void InjectFault() => Mutate(now =>
    {
        Update(now);
        _faulted = true;
        if (_tx is not null && _quirks.TxProfileLockAfterSuspendedEvse) _txProfileLock = true;
        Update(now);
    });

    public void ClearFault() => Mutate(now =>
    {
        Update(now);
        _faulted = false;
        Update(now);
    });

    private void SetCarSuspended(bool suspended) => Mutate(now =>
    {
        if (_car is null) throw new InvalidOperationException("No car is plugged in.");
        Update(now);
        _carSuspended = suspended;
        Update(now);
    });

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
        lock (_gate)
        {
            if (_disposed) return ValueTask.CompletedTask;
            _disposed = true;
        }
        _lifetime.Cancel();
        foreach (var t in new[] { _evaluateTimer, _heartbeatTimer, _txUpdatedTimer, _alignedTimer, _rebootTimer, _bootRetryTimer, _reconnectTimer })
            t.Dispose();
        _lifetime.Dispose();
        return ValueTask.CompletedTask;
    }

    // ---- Plumbing: one lock for all state; side effects that call out run after it is released ----

    private void Mutate(Action<DateTimeOffset> change) => Mutate(now => { change(now); return true; });

    private T Mutate<T>(Func<DateTimeOffset, T> change)
    {
        T result;
        Action[] after;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try { result = change(_time.GetUtcNow()); }
            finally { after = TakeDeferred(); }
        }
        foreach (var action in after) action();
        return result;
    }

    /// <summary>Runs after the lock is released (channel callbacks, starting the delivery pump).</summary>
    private void Defer(Action action) => _deferred.Add(action);

    private Action[] TakeDeferred()
    {
        if (_kick)
        {
            _kick = false;
            if (_autoDeliver && !_pumping && CanDeliver())
            {
                _pumping = true;
                _deferred.Add(() => _ = RunPumpAsync());
            }
        }
        if (_deferred.Count == 0) return [];
        var after = _deferred.ToArray();
        _deferred.Clear();
        return after;
    }

    private ITimer NewTimer(Action<DateTimeOffset> onTick) =>
        _time.CreateTimer(_ =>
        {
            try
            {
                lock (_gate) if (_disposed) return;
                Mutate(onTick);
            }
            catch (Exception e) when (e is not ObjectDisposedException)
            {
                _log.LogError(e, "Station {StationId}: timer callback failed", _options.StationId);
            }
            catch (ObjectDisposedException) { }
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    /// <summary>Arms a one-shot timer; never with a zero due time (FakeTimeProvider would fire it inside the lock).</summary>
    private void Arm(ITimer timer, TimeSpan due) =>
        timer.Change(due < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : due, Timeout.InfiniteTimeSpan);

    private void ArmPeriodic(ITimer timer, int seconds)
    {
        if (seconds <= 0) timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        else timer.Change(TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(seconds));
    }

    private static void Disarm(ITimer timer) => timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    private void Record(DateTimeOffset at, SimulatorEventKind kind, string? action = null, JsonNode? payload = null,
        JsonNode? response = null, string? errorCode = null, string? detail = null, double? amps = null) =>
        _events.Add(at, kind, action, payload, response, errorCode, detail, amps);
}

using System.Text.Json.Nodes;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// Brings the box up to a moment: the energy drawn so far, the limit the profiles give, the current
/// the car takes, the transaction's chargingState and the connector status. Between state changes
/// nothing moves, so it wakes itself only at the next change point (a schedule period, a full battery).
/// </summary>
internal sealed class ChargeRegulator
{
    private readonly SimulatedBoxOptions _options;
    private readonly TimeProvider _time;
    private readonly EnergyMeter _meter;
    private readonly ProfileStack _profiles;
    private readonly TransactionLifecycle _transactions;
    private readonly Availability _availability;
    private readonly CsmsLink _link;
    private readonly DeviceModel _device;
    private readonly EventLog _events;
    private readonly BoxTimer _evaluateTimer;
    private DateTimeOffset? _evaluateAt;

    public ChargeRegulator(SimulatedBoxOptions options, StationGate gate, EnergyMeter meter, ProfileStack profiles,
        TransactionLifecycle transactions, Availability availability, CsmsLink link, DeviceModel device, EventLog events)
    {
        _options = options;
        _time = gate.Time;
        _meter = meter;
        _profiles = profiles;
        _transactions = transactions;
        _availability = availability;
        _link = link;
        _device = device;
        _events = events;
        _evaluateTimer = gate.NewTimer(OnEvaluateTimer);
    }

    /// <summary>The limit the box enforces, in A per phase; null = none, i.e. the hardware maximum.</summary>
    public double? AppliedLimit { get; private set; }

    /// <summary>How often the car went on charging on another number of phases (a box that switches).</summary>
    public int PhaseSwitches { get; private set; }

    private int _lastDrawPhases;

    /// <summary>Available, Occupied, Unavailable or Faulted.</summary>
    public string ConnectorStatus { get; private set; } = "Available";

    /// <summary>Brings everything to <paramref name="at"/>: energy, limit, current, chargingState, status, next wake-up.</summary>
    public void Update(DateTimeOffset at)
    {
        _meter.Integrate(at);
        var tx = _transactions.Current;
        var limit = _profiles.Limit(at, tx, out var nextChange);
        if (!Nullable.Equals(limit, AppliedLimit))
        {
            AppliedLimit = limit;
            _events.Add(at, SimulatorEventKind.LimitChanged, amps: limit);
        }

        var (amps, phases, state) = ComputeCharging(limit);
        if (tx is null) _lastDrawPhases = 0;
        else if (amps > 0)
        {
            if (_lastDrawPhases != 0 && phases != _lastDrawPhases) PhaseSwitches++;
            _lastDrawPhases = phases;
        }
        _meter.Draw(amps, phases);
        if (tx is not null && state is not null && state != tx.ChargingState) _transactions.ChangeChargingState(at, state);
        UpdateStatus(at);

        if (_meter.FullAt(at) is { } fullAt && (nextChange is null || fullAt < nextChange)) nextChange = fullAt;
        _evaluateAt = nextChange;
        if (nextChange is { } due) _evaluateTimer.Arm(due - _time.GetUtcNow());
        else _evaluateTimer.Disarm();
    }

    /// <summary>The connector status follows fault, availability and the cable; a change is notified.</summary>
    public void UpdateStatus(DateTimeOffset at)
    {
        var status = _availability.ConnectorStatus(_meter.Car is not null);
        if (status == ConnectorStatus) return;
        ConnectorStatus = status;
        _device.SetInternal("ChargingStation", "AvailabilityState", status);
        _events.Add(at, SimulatorEventKind.StatusChanged, detail: status);
        if (_link.IsBootAccepted) _link.Send(StatusNotification(at));
    }

    public Outgoing StatusNotification(DateTimeOffset at) => new("StatusNotification", new JsonObject
    {
        ["timestamp"] = Timestamp(at),
        ["connectorStatus"] = ConnectorStatus,
        ["evseId"] = 1,
        ["connectorId"] = 1,
    });

    /// <summary>
    /// A virtual clock runs the timers due in an advance with the clock at its end; step through every change point that
    /// fell inside it so energy and state changes land at the right virtual instant.
    /// </summary>
    private void OnEvaluateTimer(DateTimeOffset now)
    {
        for (var guard = 0; _evaluateAt is { } due && due <= now && guard < 10_000; guard++)
        {
            _evaluateAt = null;
            Update(due);
        }
        Update(now);
    }

    private (double Amps, int Phases, string? State) ComputeCharging(double? limit)
    {
        if (_transactions.Current is not { } tx || _meter.Car is not { } car) return (0, 0, null);
        if (!tx.Authorized) return (0, 0, "EVConnected"); // TxStartPoint EVConnected: a session, but no energy before authorization
        var hardwareMax = _options.EffectiveHardwareMaxAmps;
        var offered = Math.Min(limit ?? hardwareMax, hardwareMax);
        if (_availability.Rebooting || _availability.Faulted || _availability.Inoperative || offered < _options.MinChargingAmps - EnergyMeter.Epsilon)
            return (0, 0, "SuspendedEVSE");
        if (_meter.CarSuspended || _meter.CarFull || offered < car.MinCurrentAmps - EnergyMeter.Epsilon)
            return (0, 0, "SuspendedEV");
        var phases = Math.Min(car.Phases, _options.Phases);
        // A box that switches charges on the phases the profile in force names (numberPhases).
        if (_options.PhaseSwitching == PhaseSwitchingBehaviour.Switches && _profiles.NumberPhases is { } n) phases = Math.Min(phases, n);
        return (Math.Min(offered, car.MaxCurrentAmps), phases, "Charging");
    }
}

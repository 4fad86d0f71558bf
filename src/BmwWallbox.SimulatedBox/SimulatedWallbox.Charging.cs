using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.SimulatedBox;

// Profiles → applied limit → car current → chargingState, energy integration and transactions.
public sealed partial class SimulatedWallbox
{
    private readonly BoxTimer _evaluateTimer;
    private readonly BoxTimer _alignedTimer;
    private DateTimeOffset? _evaluateAt;
    private double? _appliedLimit;

    /// <summary>Brings everything to <paramref name="at"/>: energy, limit, current, chargingState, status, next wake-up.</summary>
    private void Update(DateTimeOffset at)
    {
        _meter.Integrate(at);
        var limit = _profiles.Limit(at, _transactions.Current, out var nextChange);
        if (!Nullable.Equals(limit, _appliedLimit))
        {
            _appliedLimit = limit;
            Record(at, SimulatorEventKind.LimitChanged, amps: limit);
        }

        var (amps, phases, state) = ComputeCharging(limit);
        _meter.Draw(amps, phases);
        if (_transactions.Current is not null && state is not null && state != _transactions.Current.ChargingState) _transactions.ChangeChargingState(at, state);
        UpdateStatus(at);

        if (_meter.FullAt(at) is { } fullAt && (nextChange is null || fullAt < nextChange)) nextChange = fullAt;
        _evaluateAt = nextChange;
        if (nextChange is { } due) _evaluateTimer.Arm(due - _time.GetUtcNow());
        else _evaluateTimer.Disarm();
    }

    /// <summary>
    /// FakeTimeProvider calls timers at the end of an Advance; step through every change point that
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
        if (_transactions.Current is null || _meter.Car is not { } car) return (0, 0, null);
        if (!_transactions.Current.Authorized) return (0, 0, "EVConnected"); // TxStartPoint EVConnected: a session, but no energy before authorization
        var offered = Math.Min(limit ?? HardwareMaxAmps, HardwareMaxAmps);
        if (_availability.Rebooting || _availability.Faulted || _availability.Inoperative || offered < _options.MinChargingAmps - EnergyMeter.Epsilon) return (0, 0, "SuspendedEVSE");
        if (_meter.CarSuspended || _meter.CarFull || offered < car.MinCurrentAmps - EnergyMeter.Epsilon)
            return (0, 0, "SuspendedEV");
        return (Math.Min(offered, car.MaxCurrentAmps), Math.Min(car.Phases, _options.Phases), "Charging");
    }

    private void UpdateStatus(DateTimeOffset at)
    {
        var status = _availability.ConnectorStatus(_meter.Car is not null);
        if (status == _connectorStatus) return;
        _connectorStatus = status;
        _device.SetInternal("ChargingStation", "AvailabilityState", status);
        Record(at, SimulatorEventKind.StatusChanged, detail: status);
        if (_link.IsBootAccepted) _link.Send(new Outgoing("StatusNotification", StatusNotificationPayload(at)));
    }

    private void OnAlignedTimer(DateTimeOffset now)
    {
        Update(now);
        if (_link.IsBootAccepted)
            _link.Send(new Outgoing("MeterValues", _sampler.MeterValuesPayload(now, "Sample.Clock", _device.AlignedMeasurands, _transactions.Current)));
    }

    private void RearmIntervals()
    {
        _link.RearmHeartbeat();
        _transactions.RearmSampling();
        _alignedTimer.ArmPeriodic(_device.AlignedIntervalSeconds);
    }
}

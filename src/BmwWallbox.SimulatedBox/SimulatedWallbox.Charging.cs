using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.SimulatedBox;

// Profiles → applied limit → car current → chargingState, energy integration and transactions.
public sealed partial class SimulatedWallbox
{
    private readonly BoxTimer _evaluateTimer;
    private readonly BoxTimer _txUpdatedTimer;
    private readonly BoxTimer _alignedTimer;
    private DateTimeOffset? _evaluateAt;
    private Transaction? _tx;
    private int _txCounter;
    private bool _finishing;
    private double? _appliedLimit;

    /// <summary>Brings everything to <paramref name="at"/>: energy, limit, current, chargingState, status, next wake-up.</summary>
    private void Update(DateTimeOffset at)
    {
        _meter.Integrate(at);
        var limit = _profiles.Limit(at, _tx, out var nextChange);
        if (!Nullable.Equals(limit, _appliedLimit))
        {
            _appliedLimit = limit;
            Record(at, SimulatorEventKind.LimitChanged, amps: limit);
        }

        var (amps, phases, state) = ComputeCharging(limit);
        _meter.Draw(amps, phases);
        if (_tx is not null && state is not null && state != _tx.ChargingState) ChangeChargingState(at, state);
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
        if (_tx is null || _meter.Car is not { } car) return (0, 0, null);
        if (!_tx.Authorized) return (0, 0, "EVConnected"); // TxStartPoint EVConnected: a session, but no energy before authorization
        var offered = Math.Min(limit ?? HardwareMaxAmps, HardwareMaxAmps);
        if (_availability.Rebooting || _availability.Faulted || _availability.Inoperative || offered < _options.MinChargingAmps - EnergyMeter.Epsilon) return (0, 0, "SuspendedEVSE");
        if (_meter.CarSuspended || _meter.CarFull || offered < car.MinCurrentAmps - EnergyMeter.Epsilon)
            return (0, 0, "SuspendedEV");
        return (Math.Min(offered, car.MaxCurrentAmps), Math.Min(car.Phases, _options.Phases), "Charging");
    }

    private void ChangeChargingState(DateTimeOffset at, string state)
    {
        var tx = _tx!;
        tx.ChargingState = state;
        if (state == "Charging") tx.HasCharged = true;
        if (state == "SuspendedEVSE" && tx.HasCharged) _profiles.LockTxProfiles();
        Record(at, SimulatorEventKind.ChargingStateChanged, detail: state);
        _link.Send(new Outgoing("TransactionEvent", TransactionEventPayload(at, "Updated", "ChargingStateChanged", "Other", _device.TxUpdatedMeasurands)));
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

    // ---- Transactions (TxStartPoint EVConnected, TxStopPoint EV side disconnect) ----

    private void StartTransaction(DateTimeOffset at, string trigger, int? remoteStartId = null, JsonObject? idToken = null)
    {
        if (_meter.Car is null || _tx is not null || _availability.Rebooting || _finishing) return;
        _tx = new Transaction(NewTransactionId(), at)
        {
            RemoteStartId = remoteStartId ?? _pendingRemoteStart?.Id,
            IdToken = idToken ?? _pendingRemoteStart?.Token,
        };
        if (_pendingRemoteStart is not null && remoteStartId is null) trigger = "RemoteStart";
        _pendingRemoteStart = null;
        _tx.Authorized = _tx.IdToken is not null || !_device.AuthorizationEnabled;
        _profiles.OnTransactionStarted(at);
        _log.LogInformation("Station {StationId}: transaction {Tx} started ({Trigger})", _options.StationId, _tx.Id, trigger);
        Record(at, SimulatorEventKind.TransactionStarted, detail: _tx.Id);
        _link.Send(new Outgoing("TransactionEvent", TransactionEventPayload(at, "Started", trigger, "Transaction.Begin", _device.TxStartedMeasurands)));
        _txUpdatedTimer.ArmPeriodic(_device.TxUpdatedIntervalSeconds);
    }

    private void EndTransaction(DateTimeOffset at, string trigger, string stoppedReason, bool carLeaving)
    {
        if (_tx is null) return;
        var tx = _tx;
        tx.ChargingState = carLeaving || _meter.Car is null ? "Idle" : "EVConnected";
        _link.Send(new Outgoing("TransactionEvent",
            TransactionEventPayload(at, "Ended", trigger, "Transaction.End", _device.TxEndedMeasurands, stoppedReason)));
        _profiles.OnTransactionEnded(tx.Id);
        _tx = null;
        _txUpdatedTimer.Disarm();
        _log.LogInformation("Station {StationId}: transaction {Tx} ended ({Reason})", _options.StationId, tx.Id, stoppedReason);
        Record(at, SimulatorEventKind.TransactionEnded, detail: stoppedReason);
        Record(at, SimulatorEventKind.ChargingStateChanged, detail: "None");
        if (_rebootWhenIdle) BeginReboot(at, "Reset OnIdle");
    }

    /// <summary>
    /// Authorizes the live transaction, which started at EVConnected before it was authorized
    /// (OCPP 2.0.1 remote start with the cable plugged in first): TransactionEvent Updated with the
    /// id token, then energy may flow.
    /// </summary>
    private void AuthorizeTransaction(DateTimeOffset at, JsonObject idToken, int remoteStartId)
    {
        var tx = _tx!;
        tx.Authorized = true;
        tx.IdToken = idToken;
        tx.RemoteStartId = remoteStartId;
        var payload = TransactionEventPayload(at, "Updated", "RemoteStart", "Other", _device.TxUpdatedMeasurands);
        payload["idToken"] = idToken.DeepClone();
        payload["transactionInfo"]!["remoteStartId"] = remoteStartId;
        _log.LogInformation("Station {StationId}: transaction {Tx} authorized (remote start {RemoteStartId})", _options.StationId, tx.Id, remoteStartId);
        _link.Send(new Outgoing("TransactionEvent", payload));
        Update(at);
    }

    private string NewTransactionId() =>
        $"{_txPrefix}-{++_txCounter:D4}";

    private void OnTxUpdatedTimer(DateTimeOffset now)
    {
        if (_tx is null) return;
        Update(now);
        if (_tx is not null)
            _link.Send(new Outgoing("TransactionEvent", TransactionEventPayload(now, "Updated", "MeterValuePeriodic", "Sample.Periodic", _device.TxUpdatedMeasurands)));
    }

    private void OnAlignedTimer(DateTimeOffset now)
    {
        Update(now);
        if (_link.IsBootAccepted)
            _link.Send(new Outgoing("MeterValues", _sampler.MeterValuesPayload(now, "Sample.Clock", _device.AlignedMeasurands, _tx)));
    }

    private void RearmIntervals()
    {
        _link.RearmHeartbeat();
        _txUpdatedTimer.ArmPeriodic(_tx is null ? 0 : _device.TxUpdatedIntervalSeconds);
        _alignedTimer.ArmPeriodic(_device.AlignedIntervalSeconds);
    }
}

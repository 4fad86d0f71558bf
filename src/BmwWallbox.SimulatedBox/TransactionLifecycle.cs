using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// The transaction on the connector, from TxStartPoint EVConnected to the EV side disconnect, and
/// its TransactionEvents (sequence numbers, offline while there is no session). Quirk 9: it may
/// continue under a new id after a reconnect; quirk 10: a remote stop leaves the box Finishing.
/// </summary>
internal sealed class TransactionLifecycle
{
    private readonly SimulatedBoxOptions _options;
    private readonly DeviceModel _device;
    private readonly ProfileStack _profiles;
    private readonly EnergyMeter _meter;
    private readonly MeterSampler _sampler;
    private readonly CsmsLink _link;
    private readonly Availability _availability;
    private readonly EventLog _events;
    private readonly ILogger _log;
    private readonly Action<DateTimeOffset> _update;
    private readonly BoxTimer _txUpdatedTimer;
    /// <summary>Ids are unique across restarts of the simulator: the start time, then a counter.</summary>
    private readonly string _idPrefix;
    private int _idCounter;
    /// <summary>RequestStartTransaction before the cable: the next plug-in starts this remote start.</summary>
    private (int Id, JsonObject Token)? _pendingRemoteStart;

    /// <param name="update">Brings the box up to a moment (before a periodic TransactionEvent).</param>
    public TransactionLifecycle(SimulatedBoxOptions options, StationGate gate, DeviceModel device, ProfileStack profiles,
        EnergyMeter meter, MeterSampler sampler, CsmsLink link, Availability availability, EventLog events, ILogger log,
        DateTimeOffset start, Action<DateTimeOffset> update)
    {
        _options = options;
        _device = device;
        _profiles = profiles;
        _meter = meter;
        _sampler = sampler;
        _link = link;
        _availability = availability;
        _events = events;
        _log = log;
        _update = update;
        _idPrefix = start.ToUnixTimeSeconds().ToString("x", CultureInfo.InvariantCulture);
        _txUpdatedTimer = gate.NewTimer(OnTxUpdatedTimer);
    }

    public Transaction? Current { get; private set; }

    /// <summary>Quirk 10: stuck after RequestStopTransaction until unplug or reboot; no transaction starts.</summary>
    public bool Finishing { get; set; }

    /// <summary>Runs once a transaction has ended (a Reset OnIdle waits for it).</summary>
    public Action<DateTimeOffset>? AfterEnd { get; set; }

    public void StartOnPlugIn(int remoteStartId, JsonObject idToken) => _pendingRemoteStart = (remoteStartId, idToken);

    /// <summary>TransactionEvent Started, if a car is plugged in and nothing stands in the way.</summary>
    public void Start(DateTimeOffset at, string trigger, int? remoteStartId = null, JsonObject? idToken = null)
    {
        if (_meter.Car is null || Current is not null || _availability.Rebooting || Finishing) return;
        var tx = Current = new Transaction(NewId(), at)
        {
            RemoteStartId = remoteStartId ?? _pendingRemoteStart?.Id,
            IdToken = idToken ?? _pendingRemoteStart?.Token,
        };
        if (_pendingRemoteStart is not null && remoteStartId is null) trigger = "RemoteStart";
        _pendingRemoteStart = null;
        tx.Authorized = tx.IdToken is not null || !_device.AuthorizationEnabled;
        _profiles.OnTransactionStarted(at);
        _log.LogInformation("Station {StationId}: transaction {Tx} started ({Trigger})", _options.StationId, tx.Id, trigger);
        _events.Add(at, SimulatorEventKind.TransactionStarted, detail: tx.Id);
        Send(EventPayload(at, "Started", trigger, "Transaction.Begin", _device.TxStartedMeasurands));
        _txUpdatedTimer.ArmPeriodic(_device.TxUpdatedIntervalSeconds);
    }

    /// <summary>TransactionEvent Ended; the transaction's TxProfiles go with it.</summary>
    public void End(DateTimeOffset at, string trigger, string stoppedReason, bool carLeaving)
    {
        if (Current is not { } tx) return;
        tx.ChargingState = carLeaving || _meter.Car is null ? "Idle" : "EVConnected";
        Send(EventPayload(at, "Ended", trigger, "Transaction.End", _device.TxEndedMeasurands, stoppedReason));
        _profiles.OnTransactionEnded(tx.Id);
        Current = null;
        _txUpdatedTimer.Disarm();
        _log.LogInformation("Station {StationId}: transaction {Tx} ended ({Reason})", _options.StationId, tx.Id, stoppedReason);
        _events.Add(at, SimulatorEventKind.TransactionEnded, detail: stoppedReason);
        _events.Add(at, SimulatorEventKind.ChargingStateChanged, detail: "None");
        AfterEnd?.Invoke(at);
    }

    /// <summary>
    /// Authorizes the live transaction, which started at EVConnected before it was authorized
    /// (OCPP 2.0.1 remote start with the cable plugged in first): TransactionEvent Updated with the
    /// id token; energy may flow from the next update on.
    /// </summary>
    public void Authorize(DateTimeOffset at, JsonObject idToken, int remoteStartId)
    {
        var tx = Current!;
        tx.Authorized = true;
        tx.IdToken = idToken;
        tx.RemoteStartId = remoteStartId;
        var payload = EventPayload(at, "Updated", "RemoteStart", "Other", _device.TxUpdatedMeasurands);
        payload["idToken"] = idToken.DeepClone();
        payload["transactionInfo"]!["remoteStartId"] = remoteStartId;
        _log.LogInformation("Station {StationId}: transaction {Tx} authorized (remote start {RemoteStartId})", _options.StationId, tx.Id, remoteStartId);
        Send(payload);
    }

    /// <summary>Quirk 9: the box silently continues the session under a new id; the CSMS's id goes stale.</summary>
    public void RenewId()
    {
        var tx = Current!;
        var old = tx.Id;
        tx.Id = NewId();
        _profiles.RenameTransaction(old, tx.Id);
        _log.LogInformation("Station {StationId}: transaction {Old} continues as {Tx} (stale id quirk)", _options.StationId, old, tx.Id);
    }

    public void ChangeChargingState(DateTimeOffset at, string state)
    {
        var tx = Current!;
        tx.ChargingState = state;
        if (state == "Charging") tx.HasCharged = true;
        if (state == "SuspendedEVSE" && tx.HasCharged) _profiles.LockTxProfiles();
        _events.Add(at, SimulatorEventKind.ChargingStateChanged, detail: state);
        SendUpdated(at, "ChargingStateChanged", "Other");
    }

    /// <summary>TransactionEvent Updated with the TxUpdatedMeasurands.</summary>
    public void SendUpdated(DateTimeOffset at, string trigger, string context) =>
        Send(EventPayload(at, "Updated", trigger, context, _device.TxUpdatedMeasurands));

    /// <summary>SampledDataCtrlr.TxUpdatedInterval may have changed (SetVariables).</summary>
    public void RearmSampling() => _txUpdatedTimer.ArmPeriodic(Current is null ? 0 : _device.TxUpdatedIntervalSeconds);

    private void OnTxUpdatedTimer(DateTimeOffset now)
    {
        if (Current is null) return;
        _update(now);
        if (Current is not null) SendUpdated(now, "MeterValuePeriodic", "Sample.Periodic");
    }

    private string NewId() => $"{_idPrefix}-{++_idCounter:D4}";

    private void Send(JsonObject payload) => _link.Send(new Outgoing("TransactionEvent", payload));

    private JsonObject EventPayload(DateTimeOffset at, string eventType, string trigger, string context,
        string[] measurands, string? stoppedReason = null)
    {
        var tx = Current!;
        var info = new JsonObject { ["transactionId"] = tx.Id, ["chargingState"] = tx.ChargingState };
        if (stoppedReason is not null) info["stoppedReason"] = stoppedReason;
        if (tx.RemoteStartId is { } remoteStartId && eventType == "Started") info["remoteStartId"] = remoteStartId;
        var payload = new JsonObject
        {
            ["eventType"] = eventType,
            ["timestamp"] = Timestamp(at),
            ["triggerReason"] = trigger,
            ["seqNo"] = tx.NextSeqNo++,
            ["transactionInfo"] = info,
        };
        if (!_link.IsBootAccepted) payload["offline"] = true;
        if (eventType == "Started")
        {
            payload["evse"] = new JsonObject { ["id"] = 1, ["connectorId"] = 1 };
            if (tx.IdToken is not null) payload["idToken"] = tx.IdToken.DeepClone();
        }
        if (measurands.Length > 0) payload["meterValue"] = new JsonArray(_sampler.MeterValue(at, context, measurands, tx));
        return payload;
    }
}

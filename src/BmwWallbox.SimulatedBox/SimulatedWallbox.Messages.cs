using System.Text.Json.Nodes;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

// Payloads of station→CSMS messages.
public sealed partial class SimulatedWallbox
{
    private JsonObject StatusNotificationPayload(DateTimeOffset at) => new()
    {
        ["timestamp"] = Timestamp(at),
        ["connectorStatus"] = _connectorStatus,
        ["evseId"] = 1,
        ["connectorId"] = 1,
    };

    private JsonObject TransactionEventPayload(DateTimeOffset at, string eventType, string trigger, string context,
        string[] measurands, string? stoppedReason = null)
    {
        var tx = _tx!;
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
        if (!_sessionOpen || !_boot.IsAccepted) payload["offline"] = true;
        if (eventType == "Started")
        {
            payload["evse"] = new JsonObject { ["id"] = 1, ["connectorId"] = 1 };
            if (tx.IdToken is not null) payload["idToken"] = tx.IdToken.DeepClone();
        }
        if (measurands.Length > 0) payload["meterValue"] = new JsonArray(_sampler.MeterValue(at, context, measurands, tx));
        return payload;
    }

    // ---- Quirk 2: the messages a minimal CSMS does not expect ----

    private IEnumerable<Outgoing> BootExtras(DateTimeOffset at)
    {
        var timestamp = Timestamp(at);
        yield return new Outgoing("SecurityEventNotification", new JsonObject
        {
            ["type"] = _boot.Reason == "PowerUp" ? "StartupOfTheDevice" : "ResetOrReboot",
            ["timestamp"] = timestamp,
        }, Extra: true);
        yield return new Outgoing("NotifyEvent", new JsonObject
        {
            ["generatedAt"] = timestamp,
            ["seqNo"] = 0,
            ["eventData"] = new JsonArray(new JsonObject
            {
                ["eventId"] = _boot.Count,
                ["timestamp"] = timestamp,
                ["trigger"] = "Delta",
                ["actualValue"] = _connectorStatus,
                ["eventNotificationType"] = "HardWiredNotification",
                ["component"] = new JsonObject { ["name"] = "ChargingStation" },
                ["variable"] = new JsonObject { ["name"] = "AvailabilityState" },
            }),
        }, Extra: true);
        yield return new Outgoing("NotifyReport", new JsonObject
        {
            ["requestId"] = 0,
            ["generatedAt"] = timestamp,
            ["seqNo"] = 0,
            ["reportData"] = new JsonArray(_device.ReportEntry(_device.Find("TxCtrlr", "StopTxOnEVSideDisconnect", null)!)),
        }, Extra: true);
        yield return new Outgoing("ClearedChargingLimit", new JsonObject
        {
            ["chargingLimitSource"] = "Other",
            ["evseId"] = 1,
        }, Extra: true);
    }

    private void EnqueuePlugInExtras(DateTimeOffset at)
    {
        var car = _meter.Car!;
        var energyWh = (int)Math.Round(_meter.WantedWh(car));
        Enqueue(new Outgoing("NotifyEVChargingNeeds", new JsonObject
        {
            ["evseId"] = 1,
            ["chargingNeeds"] = new JsonObject
            {
                // EnergyTransferModeEnumType of OCPP 2.0.1 (the "_core" names are ISO 15118's, not OCPP's).
                ["requestedEnergyTransfer"] = Math.Min(car.Phases, _options.Phases) switch
                {
                    1 => "AC_single_phase",
                    2 => "AC_two_phase",
                    _ => "AC_three_phase",
                },
                ["acChargingParameters"] = new JsonObject
                {
                    ["energyAmount"] = Math.Max(0, energyWh),
                    ["evMinCurrent"] = (int)Math.Ceiling(car.MinCurrentAmps),
                    ["evMaxCurrent"] = (int)Math.Floor(car.MaxCurrentAmps),
                    ["evMaxVoltage"] = (int)Math.Round(_options.VoltageV),
                },
            },
        }, Extra: true));
        Enqueue(new Outgoing("NotifyChargingLimit", new JsonObject
        {
            ["chargingLimit"] = new JsonObject { ["chargingLimitSource"] = "Other", ["isGridCritical"] = false },
            ["evseId"] = 1,
        }, Extra: true));
    }
}

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

using System.Text.Json.Nodes;
using static BmwWallbox.SimulatedBox.CallResult;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// CSMS calls on the station as a whole: Reset, ChangeAvailability, UnlockConnector, DataTransfer and
/// TriggerMessage (MeterValues and TransactionEvent accepted, BootNotification and StatusNotification rejected, as the BMW does).
/// </summary>
internal sealed class StationCalls(RebootCycle reboot, Availability availability, ChargeRegulator regulator,
    TransactionLifecycle transactions, MeterSampler sampler, CsmsLink link, AfterReply afterReply)
{
    public JsonObject Reset(JsonObject request)
    {
        var type = RequireEnum(request, "type", "Reset", "Immediate", "OnIdle");
        var evseId = OptionalInt(request, "evseId", "Reset");
        if (evseId is not null) return Status("Rejected", "UnsupportedRequest", "resetting a single EVSE is not supported");
        if (type == "OnIdle" && transactions.Current is not null)
        {
            reboot.ScheduleWhenIdle();
            return Status("Scheduled");
        }
        afterReply.Add(now => reboot.Begin(now, $"Reset {type}"));
        return Status("Accepted");
    }

    public JsonObject ChangeAvailability(DateTimeOffset now, JsonObject request)
    {
        var status = RequireEnum(request, "operationalStatus", "ChangeAvailability", "Inoperative", "Operative");
        var evse = OptionalObject(request, "evse", "ChangeAvailability");
        var evseId = evse is null ? 0 : RequireInt(evse, "id", "ChangeAvailability.evse");
        var connectorId = evse is null ? null : OptionalInt(evse, "connectorId", "ChangeAvailability.evse");
        if (evseId is not (0 or 1) || connectorId is not (null or 1)) return Status("Rejected", "UnknownEvse", "no such EVSE/connector");
        regulator.Update(now);
        availability.Inoperative = status == "Inoperative";
        regulator.Update(now);
        return Status("Accepted");
    }

    public JsonObject UnlockConnector(JsonObject request)
    {
        var evseId = RequireInt(request, "evseId", "UnlockConnector");
        var connectorId = RequireInt(request, "connectorId", "UnlockConnector");
        if (evseId != 1 || connectorId != 1) return Status("UnknownConnector");
        return Status(transactions.Current is null ? "Unlocked" : "OngoingAuthorizedTransaction");
    }

    public static JsonObject DataTransfer(JsonObject request)
    {
        RequireString(request, "vendorId", "DataTransfer");
        return Status("UnknownVendorId");
    }

    public JsonObject TriggerMessage(JsonObject request)
    {
        var requested = RequireEnum(request, "requestedMessage", "TriggerMessage",
            "BootNotification", "LogStatusNotification", "FirmwareStatusNotification", "Heartbeat", "MeterValues",
            "SignChargingStationCertificate", "SignV2GCertificate", "StatusNotification", "TransactionEvent",
            "SignCombinedCertificate", "PublishFirmwareStatusNotification");
        var evse = OptionalObject(request, "evse", "TriggerMessage");
        var evseId = evse is null ? (int?)null : RequireInt(evse, "id", "TriggerMessage.evse");
        if (evseId is not (null or 0 or 1)) return Status("Rejected", "UnknownEvse", $"evse {evseId} does not exist");
        switch (requested)
        {
            case "MeterValues":
                afterReply.Add(now =>
                {
                    regulator.Update(now);
                    link.Send(new Outgoing("MeterValues", sampler.MeterValuesPayload(now, "Trigger", MeterSampler.AllMeasurands, transactions.Current)));
                });
                return Status("Accepted");
            case "TransactionEvent":
                if (transactions.Current is null) return Status("Rejected", "TxNotFound", "no transaction is ongoing");
                afterReply.Add(now =>
                {
                    regulator.Update(now);
                    if (transactions.Current is not null)
                        transactions.SendUpdated(now, "Trigger", "Trigger");
                });
                return Status("Accepted");
            case "Heartbeat":
                afterReply.Add(_ => link.Send(new Outgoing("Heartbeat", [])));
                return Status("Accepted");
            case "BootNotification" or "StatusNotification":
                return Status("Rejected");
            default:
                return Status("NotImplemented");
        }
    }
}

using System.Text.Json.Nodes;
using static BmwWallbox.SimulatedBox.CallResult;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// CSMS calls about the transaction: RequestStartTransaction (before or after the cable, authorizing
/// a waiting session), RequestStopTransaction (quirk 10: Finishing), GetTransactionStatus.
/// </summary>
internal sealed class TransactionCalls(SimulatedBoxOptions options, TransactionLifecycle transactions, EnergyMeter meter,
    Availability availability, ChargeRegulator regulator, MessageQueue queue)
{
    public JsonObject RequestStartTransaction(DateTimeOffset now, JsonObject request)
    {
        const string path = "RequestStartTransaction";
        var evseId = OptionalInt(request, "evseId", path);
        var remoteStartId = RequireInt(request, "remoteStartId", path);
        var idToken = RequireObject(request, "idToken", path);
        RequireString(idToken, "idToken", path + ".idToken");
        RequireString(idToken, "type", path + ".idToken");
        if (evseId is not (null or 1)) return Status("Rejected", "UnknownEvse", $"evse {evseId} does not exist");
        if (availability.Faulted || availability.Inoperative) return Status("Rejected", "UnavailableEvse", "connector is not available");
        if (transactions.Finishing) return Status("Rejected", "TxInProgress", "connector is Finishing after a remote stop; unplug or reboot (quirk 10)");
        regulator.Update(now);
        if (transactions.Current is not null)
        {
            if (!transactions.Current.Authorized)
            {
                transactions.Authorize(now, (JsonObject)idToken.DeepClone(), remoteStartId);
                regulator.Update(now);
            }
            var running = Status("Accepted");
            running["transactionId"] = transactions.Current.Id;
            return running;
        }
        var token = (JsonObject)idToken.DeepClone();
        if (meter.Car is null)
        {
            transactions.StartOnPlugIn(remoteStartId, token);
            return Status("Accepted");
        }
        transactions.Start(now, "RemoteStart", remoteStartId, token);
        regulator.Update(now);
        var result = Status("Accepted");
        result["transactionId"] = transactions.Current!.Id;
        return result;
    }

    public JsonObject RequestStopTransaction(DateTimeOffset now, JsonObject request)
    {
        var id = RequireString(request, "transactionId", "RequestStopTransaction");
        if (transactions.Current is null || transactions.Current.Id != id) return Status("Rejected", "TxNotFound", $"transaction '{id}' is not ongoing");
        regulator.Update(now);
        transactions.End(now, "RemoteStop", "Remote", carLeaving: false);
        if (options.Quirks.FinishingAfterRemoteStop) transactions.Finishing = true;
        regulator.Update(now);
        return Status("Accepted");
    }

    public JsonObject GetTransactionStatus(JsonObject request)
    {
        var id = OptionalString(request, "transactionId", "GetTransactionStatus");
        var result = new JsonObject { ["messagesInQueue"] = queue.HasTransactionEvents };
        if (id is not null) result["ongoingIndicator"] = transactions.Current?.Id == id;
        return result;
    }
}

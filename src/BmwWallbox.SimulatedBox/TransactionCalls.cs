using System.Text.Json.Nodes;
using static BmwWallbox.SimulatedBox.CallResult;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// CSMS calls about the transaction: RequestStartTransaction (before or after the cable, authorizing
/// a waiting session), RequestStopTransaction (quirk 10: Finishing), GetTransactionStatus.
/// </summary>
internal sealed class TransactionCalls
{
    private readonly SimulatedBoxOptions _options;
    private readonly TransactionLifecycle _transactions;
    private readonly EnergyMeter _meter;
    private readonly Availability _availability;
    private readonly ChargeController _controller;
    private readonly MessageQueue _queue;

    public TransactionCalls(SimulatedBoxOptions options, TransactionLifecycle transactions, EnergyMeter meter,
        Availability availability, ChargeController controller, MessageQueue queue)
    {
        _options = options;
        _transactions = transactions;
        _meter = meter;
        _availability = availability;
        _controller = controller;
        _queue = queue;
    }

    public JsonObject RequestStartTransaction(DateTimeOffset now, JsonObject request)
    {
        const string path = "RequestStartTransaction";
        var evseId = OptionalInt(request, "evseId", path);
        var remoteStartId = RequireInt(request, "remoteStartId", path);
        var idToken = RequireObject(request, "idToken", path);
        RequireString(idToken, "idToken", path + ".idToken");
        RequireString(idToken, "type", path + ".idToken");
        if (evseId is not (null or 1)) return Status("Rejected", "UnknownEvse", $"evse {evseId} does not exist");
        if (_availability.Faulted || _availability.Inoperative) return Status("Rejected", "UnavailableEvse", "connector is not available");
        if (_transactions.Finishing) return Status("Rejected", "TxInProgress", "connector is Finishing after a remote stop; unplug or reboot (quirk 10)");
        _controller.Update(now);
        if (_transactions.Current is not null)
        {
            if (!_transactions.Current.Authorized)
            {
                _transactions.Authorize(now, (JsonObject)idToken.DeepClone(), remoteStartId);
                _controller.Update(now);
            }
            var running = Status("Accepted");
            running["transactionId"] = _transactions.Current.Id;
            return running;
        }
        var token = (JsonObject)idToken.DeepClone();
        if (_meter.Car is null)
        {
            _transactions.StartOnPlugIn(remoteStartId, token);
            return Status("Accepted");
        }
        _transactions.Start(now, "RemoteStart", remoteStartId, token);
        _controller.Update(now);
        var result = Status("Accepted");
        result["transactionId"] = _transactions.Current!.Id;
        return result;
    }

    public JsonObject RequestStopTransaction(DateTimeOffset now, JsonObject request)
    {
        var id = RequireString(request, "transactionId", "RequestStopTransaction");
        if (_transactions.Current is null || _transactions.Current.Id != id) return Status("Rejected", "TxNotFound", $"transaction '{id}' is not ongoing");
        _controller.Update(now);
        _transactions.End(now, "RemoteStop", "Remote", carLeaving: false);
        if (_options.Quirks.FinishingAfterRemoteStop) _transactions.Finishing = true;
        _controller.Update(now);
        return Status("Accepted");
    }

    public JsonObject GetTransactionStatus(JsonObject request)
    {
        var id = OptionalString(request, "transactionId", "GetTransactionStatus");
        var result = new JsonObject { ["messagesInQueue"] = _queue.HasTransactionEvents };
        if (id is not null) result["ongoingIndicator"] = _transactions.Current?.Id == id;
        return result;
    }
}

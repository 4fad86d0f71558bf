using System.Text.Json;
using BmwWallbox.Ocpp.Messages;
using BmwWallbox.Ocpp.Rpc;
using BmwWallbox.Ocpp.Schemas;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// Answers a station that waits for approval (<c>ocpp.accept_unknown: pending</c>): its BootNotification gets
/// Pending with <c>ocpp.pending_interval</c>, so it boots again after it; anything else it sends is refused with
/// SecurityError (OCPP 2.0.1 B02: while Pending a station sends nothing but BootNotification unless asked), and we
/// send it nothing. What it says about itself is recorded for the person deciding.
/// </summary>
internal sealed class PendingStationHandler(StationApprovals approvals, OcppOptions options, TimeProvider time, ILogger logger)
{
    public ValueTask<RpcReply> HandleAsync(string stationId, string action, JsonElement payload)
    {
        if (action != "BootNotification")
            return ValueTask.FromResult(RpcReply.Error(RpcErrorCode.SecurityError, $"{stationId} is waiting for approval; only BootNotification is answered"));
        if (OcppSchemas.Default.ValidateRequest(action, payload) is { } violation)
            return ValueTask.FromResult(RpcReply.Error(violation.ErrorCode, $"{action}: {violation.Message}"));

        var json = OcppJsonContext.Default;
        BootNotificationRequest? request;
        try
        {
            request = payload.Deserialize(json.BootNotificationRequest);
        }
        catch (JsonException e)
        {
            return ValueTask.FromResult(RpcReply.Error(RpcErrorCode.FormatViolation, $"{action}: {e.Message}"));
        }
        if (request is null) return ValueTask.FromResult(RpcReply.Error(RpcErrorCode.FormatViolation, $"{action}: empty payload"));

        var box = request.ChargingStation;
        var now = time.GetUtcNow();
        try
        {
            approvals.RecordBoot(stationId, box.VendorName, box.Model, box.SerialNumber, now);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            logger.LogError("{StationId}: its boot could not be recorded: {Problem}", stationId, e.Message);
        }
        logger.LogWarning("{StationId} ({Vendor} {Model}, serial {SerialNumber}) is not configured and waits for approval: BootNotification answered Pending",
            stationId, box.VendorName, box.Model, box.SerialNumber);
        var response = new BootNotificationResponse(now, (int)Math.Round(options.PendingInterval.TotalSeconds), RegistrationStatus.Pending);
        return ValueTask.FromResult(RpcReply.Result(JsonSerializer.Serialize(response, json.BootNotificationResponse)));
    }
}

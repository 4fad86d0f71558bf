using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BmwWallbox.Ocpp.Messages;
using BmwWallbox.Ocpp.Rpc;
using BmwWallbox.Ocpp.Schemas;
using BmwWallbox.Ocpp.State;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.Server;

/// <summary>Typed CSMS → station commands over the station's current connection.</summary>
internal sealed class OcppCommands(Func<string, RpcConnection?> connectionOf, WallboxStateStore states, ILogger logger) : IOcppCommands
{
    private static OcppJsonContext Json => OcppJsonContext.Default;

    public Task<CommandResult<SetChargingProfileResponse>> SetChargingProfileAsync(string stationId, SetChargingProfileRequest request, CancellationToken ct = default)
        => SendAsync(stationId, "SetChargingProfile", request, Json.SetChargingProfileRequest, Json.SetChargingProfileResponse, ct);

    public Task<CommandResult<ClearChargingProfileResponse>> ClearChargingProfileAsync(string stationId, ClearChargingProfileRequest request, CancellationToken ct = default)
        => SendAsync(stationId, "ClearChargingProfile", request, Json.ClearChargingProfileRequest, Json.ClearChargingProfileResponse, ct);

    public Task<CommandResult<GetChargingProfilesResponse>> GetChargingProfilesAsync(string stationId, GetChargingProfilesRequest request, CancellationToken ct = default)
        => SendAsync(stationId, "GetChargingProfiles", request, Json.GetChargingProfilesRequest, Json.GetChargingProfilesResponse, ct);

    public Task<CommandResult<GetCompositeScheduleResponse>> GetCompositeScheduleAsync(string stationId, GetCompositeScheduleRequest request, CancellationToken ct = default)
        => SendAsync(stationId, "GetCompositeSchedule", request, Json.GetCompositeScheduleRequest, Json.GetCompositeScheduleResponse, ct);

    public Task<CommandResult<RequestStartTransactionResponse>> RequestStartTransactionAsync(string stationId, RequestStartTransactionRequest request, CancellationToken ct = default)
        => SendAsync(stationId, "RequestStartTransaction", request, Json.RequestStartTransactionRequest, Json.RequestStartTransactionResponse, ct);

    public Task<CommandResult<RequestStopTransactionResponse>> RequestStopTransactionAsync(string stationId, RequestStopTransactionRequest request, CancellationToken ct = default)
        => SendAsync(stationId, "RequestStopTransaction", request, Json.RequestStopTransactionRequest, Json.RequestStopTransactionResponse, ct);

    public Task<CommandResult<GetTransactionStatusResponse>> GetTransactionStatusAsync(string stationId, GetTransactionStatusRequest request, CancellationToken ct = default)
        => SendAsync(stationId, "GetTransactionStatus", request, Json.GetTransactionStatusRequest, Json.GetTransactionStatusResponse, ct);

    public Task<CommandResult<ResetResponse>> ResetAsync(string stationId, ResetRequest request, CancellationToken ct = default)
        => SendAsync(stationId, "Reset", request, Json.ResetRequest, Json.ResetResponse, ct);

    public Task<CommandResult<SetVariablesResponse>> SetVariablesAsync(string stationId, SetVariablesRequest request, CancellationToken ct = default)
        => SendAsync(stationId, "SetVariables", request, Json.SetVariablesRequest, Json.SetVariablesResponse, ct);

    public async Task<CommandResult<GetVariablesResponse>> GetVariablesAsync(string stationId, GetVariablesRequest request, CancellationToken ct = default)
    {
        var result = await SendAsync(stationId, "GetVariables", request, Json.GetVariablesRequest, Json.GetVariablesResponse, ct);
        if (result.Response is { } response)
        {
            var values = from r in response.GetVariableResult
                         where r is { AttributeStatus: GetVariableStatus.Accepted, AttributeValue: not null }
                               && (r.AttributeType ?? AttributeType.Actual) == AttributeType.Actual
                         select KeyValuePair.Create(StateReducer.VariableKey(r.Component, r.Variable), r.AttributeValue!);
            states.Update(stationId, (t, now) => StateReducer.Variables(t, values, now));
        }
        return result;
    }

    public Task<CommandResult<GetBaseReportResponse>> GetBaseReportAsync(string stationId, GetBaseReportRequest request, CancellationToken ct = default)
        => SendAsync(stationId, "GetBaseReport", request, Json.GetBaseReportRequest, Json.GetBaseReportResponse, ct);

    public Task<CommandResult<TriggerMessageResponse>> TriggerMessageAsync(string stationId, TriggerMessageRequest request, CancellationToken ct = default)
        => SendAsync(stationId, "TriggerMessage", request, Json.TriggerMessageRequest, Json.TriggerMessageResponse, ct);

    public Task<CommandResult<ChangeAvailabilityResponse>> ChangeAvailabilityAsync(string stationId, ChangeAvailabilityRequest request, CancellationToken ct = default)
        => SendAsync(stationId, "ChangeAvailability", request, Json.ChangeAvailabilityRequest, Json.ChangeAvailabilityResponse, ct);

    public Task<CommandResult<UnlockConnectorResponse>> UnlockConnectorAsync(string stationId, UnlockConnectorRequest request, CancellationToken ct = default)
        => SendAsync(stationId, "UnlockConnector", request, Json.UnlockConnectorRequest, Json.UnlockConnectorResponse, ct);

    private async Task<CommandResult<TResponse>> SendAsync<TRequest, TResponse>(
        string stationId, string action, TRequest request, JsonTypeInfo<TRequest> requestInfo, JsonTypeInfo<TResponse> responseInfo, CancellationToken ct)
        where TResponse : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!states.IsConfigured(stationId))
            throw new ArgumentException($"Unknown station '{stationId}': not in ocpp.stations", nameof(stationId));

        var payload = JsonSerializer.SerializeToElement(request, requestInfo);
        if (OcppSchemas.Default.ValidateRequest(action, payload) is { } invalid)
        {
            // Our own request breaks the schema: never put it on the wire.
            logger.LogError("{StationId} {Action} not sent, the request is invalid: {Violation}", stationId, action, invalid.Message);
            return CommandResult<TResponse>.Failed(action, invalid.ErrorCode, $"invalid request: {invalid.Message}");
        }

        if (connectionOf(stationId) is not { } connection)
            return Log(stationId, CommandResult<TResponse>.NotConnected(action));

        var response = await connection.CallAsync(action, payload.GetRawText(), ct);
        return Log(stationId, response.Outcome switch
        {
            RpcOutcome.Result => Read(action, response.Payload, responseInfo),
            RpcOutcome.Error => CommandResult<TResponse>.Failed(action, response.ErrorCode!, response.ErrorDescription ?? ""),
            RpcOutcome.TimedOut => CommandResult<TResponse>.TimedOut(action),
            _ => CommandResult<TResponse>.NotConnected(action),
        });
    }

    private CommandResult<TResponse> Read<TResponse>(string action, JsonElement payload, JsonTypeInfo<TResponse> responseInfo)
        where TResponse : class
    {
        if (OcppSchemas.Default.ValidateResponse(action, payload) is { } invalid)
            return CommandResult<TResponse>.Failed(action, invalid.ErrorCode, $"invalid response: {invalid.Message}");
        try
        {
            return payload.Deserialize(responseInfo) is { } response
                ? CommandResult<TResponse>.Answered(action, response)
                : CommandResult<TResponse>.Failed(action, RpcErrorCode.FormatViolation, "invalid response: empty");
        }
        catch (JsonException e)
        {
            return CommandResult<TResponse>.Failed(action, RpcErrorCode.FormatViolation, $"invalid response: {e.Message}");
        }
    }

    private CommandResult<T> Log<T>(string stationId, CommandResult<T> result) where T : class
    {
        if (result.Ok)
            logger.LogInformation("{StationId} {Action} answered: {Response}", stationId, result.Action, result.Response);
        else
            logger.LogWarning("{StationId} {Action}: {CommandError}", stationId, result.Action, result.Error);
        return result;
    }
}

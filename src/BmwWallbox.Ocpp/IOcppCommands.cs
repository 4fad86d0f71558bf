using BmwWallbox.Ocpp.Messages;

namespace BmwWallbox.Ocpp;

/// <summary>
/// Every CSMS → station command the controller needs, addressed by station id. Calls to one
/// station are sent one at a time in call order (OCPP allows one outstanding CALL); each waits
/// at most ocpp.command_timeout for the answer. Cancelling a call abandons the caller's wait,
/// not a call already on the wire. An unknown (unconfigured) station id throws ArgumentException.
/// </summary>
public interface IOcppCommands
{
    Task<CommandResult<SetChargingProfileResponse>> SetChargingProfileAsync(string stationId, SetChargingProfileRequest request, CancellationToken ct = default);
    Task<CommandResult<ClearChargingProfileResponse>> ClearChargingProfileAsync(string stationId, ClearChargingProfileRequest request, CancellationToken ct = default);
    Task<CommandResult<GetChargingProfilesResponse>> GetChargingProfilesAsync(string stationId, GetChargingProfilesRequest request, CancellationToken ct = default);
    Task<CommandResult<GetCompositeScheduleResponse>> GetCompositeScheduleAsync(string stationId, GetCompositeScheduleRequest request, CancellationToken ct = default);
    Task<CommandResult<RequestStartTransactionResponse>> RequestStartTransactionAsync(string stationId, RequestStartTransactionRequest request, CancellationToken ct = default);
    /// <summary>Ends the transaction; a BMW box then stays in Finishing (quirk 10). Never use it to pause.</summary>
    Task<CommandResult<RequestStopTransactionResponse>> RequestStopTransactionAsync(string stationId, RequestStopTransactionRequest request, CancellationToken ct = default);
    Task<CommandResult<GetTransactionStatusResponse>> GetTransactionStatusAsync(string stationId, GetTransactionStatusRequest request, CancellationToken ct = default);
    Task<CommandResult<ResetResponse>> ResetAsync(string stationId, ResetRequest request, CancellationToken ct = default);
    Task<CommandResult<SetVariablesResponse>> SetVariablesAsync(string stationId, SetVariablesRequest request, CancellationToken ct = default);
    /// <summary>Accepted Actual values also land in <see cref="Core.WallboxState.Variables"/>.</summary>
    Task<CommandResult<GetVariablesResponse>> GetVariablesAsync(string stationId, GetVariablesRequest request, CancellationToken ct = default);
    Task<CommandResult<GetBaseReportResponse>> GetBaseReportAsync(string stationId, GetBaseReportRequest request, CancellationToken ct = default);
    Task<CommandResult<TriggerMessageResponse>> TriggerMessageAsync(string stationId, TriggerMessageRequest request, CancellationToken ct = default);
    Task<CommandResult<ChangeAvailabilityResponse>> ChangeAvailabilityAsync(string stationId, ChangeAvailabilityRequest request, CancellationToken ct = default);
    Task<CommandResult<UnlockConnectorResponse>> UnlockConnectorAsync(string stationId, UnlockConnectorRequest request, CancellationToken ct = default);
}

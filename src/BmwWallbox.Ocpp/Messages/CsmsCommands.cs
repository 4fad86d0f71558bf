namespace BmwWallbox.Ocpp.Messages;

// CSMS → station requests and the station's responses (OCPP 2.0.1 Part 3 schemas).

public sealed record SetChargingProfileRequest(int EvseId, ChargingProfile ChargingProfile);

public sealed record SetChargingProfileResponse(ChargingProfileStatus Status, StatusInfo? StatusInfo = null);

public sealed record ClearChargingProfileCriteria(int? EvseId = null, ChargingProfilePurpose? ChargingProfilePurpose = null, int? StackLevel = null);

public sealed record ClearChargingProfileRequest(int? ChargingProfileId = null, ClearChargingProfileCriteria? ChargingProfileCriteria = null);

/// <summary>Unknown = nothing matched; not an error (quirk 6).</summary>
public sealed record ClearChargingProfileResponse(ClearChargingProfileStatus Status, StatusInfo? StatusInfo = null);

public sealed record ChargingProfileCriterion(
    ChargingProfilePurpose? ChargingProfilePurpose = null,
    int? StackLevel = null,
    IReadOnlyList<int>? ChargingProfileId = null,
    IReadOnlyList<ChargingLimitSource>? ChargingLimitSource = null);

public sealed record GetChargingProfilesRequest(int RequestId, ChargingProfileCriterion ChargingProfile, int? EvseId = null);

public sealed record GetChargingProfilesResponse(GetChargingProfileStatus Status, StatusInfo? StatusInfo = null);

public sealed record GetCompositeScheduleRequest(int Duration, int EvseId, ChargingRateUnit? ChargingRateUnit = null);

public sealed record CompositeSchedule(
    int EvseId,
    int Duration,
    DateTimeOffset ScheduleStart,
    ChargingRateUnit ChargingRateUnit,
    IReadOnlyList<ChargingSchedulePeriod> ChargingSchedulePeriod);

public sealed record GetCompositeScheduleResponse(GenericStatus Status, CompositeSchedule? Schedule = null, StatusInfo? StatusInfo = null);

public sealed record RequestStartTransactionRequest(
    IdToken IdToken,
    int RemoteStartId,
    int? EvseId = null,
    IdToken? GroupIdToken = null,
    ChargingProfile? ChargingProfile = null);

public sealed record RequestStartTransactionResponse(RequestStartStopStatus Status, string? TransactionId = null, StatusInfo? StatusInfo = null);

/// <summary>Never use it to pause a BMW box: it ends in Finishing (quirk 10).</summary>
public sealed record RequestStopTransactionRequest(string TransactionId);

public sealed record RequestStopTransactionResponse(RequestStartStopStatus Status, StatusInfo? StatusInfo = null);

public sealed record GetTransactionStatusRequest(string? TransactionId = null);

public sealed record GetTransactionStatusResponse(bool MessagesInQueue, bool? OngoingIndicator = null);

public sealed record ResetRequest(ResetType Type, int? EvseId = null);

public sealed record ResetResponse(ResetStatus Status, StatusInfo? StatusInfo = null);

public sealed record SetVariableData(string AttributeValue, Component Component, Variable Variable, AttributeType? AttributeType = null);

public sealed record SetVariablesRequest(IReadOnlyList<SetVariableData> SetVariableData);

public sealed record SetVariableResult(
    SetVariableStatus AttributeStatus,
    Component Component,
    Variable Variable,
    AttributeType? AttributeType = null,
    StatusInfo? AttributeStatusInfo = null);

public sealed record SetVariablesResponse(IReadOnlyList<SetVariableResult> SetVariableResult);

public sealed record GetVariableData(Component Component, Variable Variable, AttributeType? AttributeType = null);

public sealed record GetVariablesRequest(IReadOnlyList<GetVariableData> GetVariableData);

public sealed record GetVariableResult(
    GetVariableStatus AttributeStatus,
    Component Component,
    Variable Variable,
    AttributeType? AttributeType = null,
    string? AttributeValue = null,
    StatusInfo? AttributeStatusInfo = null);

public sealed record GetVariablesResponse(IReadOnlyList<GetVariableResult> GetVariableResult);

public sealed record GetBaseReportRequest(int RequestId, ReportBase ReportBase);

public sealed record GetBaseReportResponse(GenericDeviceModelStatus Status, StatusInfo? StatusInfo = null);

public sealed record TriggerMessageRequest(MessageTrigger RequestedMessage, Evse? Evse = null);

public sealed record TriggerMessageResponse(TriggerMessageStatus Status, StatusInfo? StatusInfo = null);

public sealed record ChangeAvailabilityRequest(OperationalStatus OperationalStatus, Evse? Evse = null);

public sealed record ChangeAvailabilityResponse(ChangeAvailabilityStatus Status, StatusInfo? StatusInfo = null);

public sealed record UnlockConnectorRequest(int EvseId, int ConnectorId);

public sealed record UnlockConnectorResponse(UnlockStatus Status, StatusInfo? StatusInfo = null);

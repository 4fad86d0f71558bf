using System.Text.Json;
using BmwWallbox.Core;

namespace BmwWallbox.Ocpp.Messages;

// Station → CSMS requests and the CSMS's responses (OCPP 2.0.1 Part 3 schemas). Fields the
// CSMS has no use for (certificates, signed meter data, sales tariffs) are validated by the
// schema but not modelled.

public sealed record Modem(string? Iccid = null, string? Imsi = null);

public sealed record ChargingStationInfo(string Model, string VendorName, string? SerialNumber = null, string? FirmwareVersion = null, Modem? Modem = null);

public sealed record BootNotificationRequest(ChargingStationInfo ChargingStation, BootReason Reason);

public sealed record BootNotificationResponse(DateTimeOffset CurrentTime, int Interval, RegistrationStatus Status, StatusInfo? StatusInfo = null);

public sealed record HeartbeatRequest;

public sealed record HeartbeatResponse(DateTimeOffset CurrentTime);

public sealed record StatusNotificationRequest(DateTimeOffset Timestamp, ConnectorStatus ConnectorStatus, int EvseId, int ConnectorId);

public sealed record StatusNotificationResponse;

public sealed record TransactionData(
    string TransactionId,
    ChargingState? ChargingState = null,
    int? TimeSpentCharging = null,
    StoppedReason? StoppedReason = null,
    int? RemoteStartId = null);

public sealed record TransactionEventRequest(
    TransactionEventType EventType,
    DateTimeOffset Timestamp,
    TriggerReason TriggerReason,
    int SeqNo,
    TransactionData TransactionInfo,
    bool? Offline = null,
    int? NumberOfPhasesUsed = null,
    int? CableMaxCurrent = null,
    int? ReservationId = null,
    Evse? Evse = null,
    IdToken? IdToken = null,
    IReadOnlyList<MeterValue>? MeterValue = null);

public sealed record TransactionEventResponse(IdTokenInfo? IdTokenInfo = null, double? TotalCost = null, int? ChargingPriority = null);

public sealed record MeterValuesRequest(int EvseId, IReadOnlyList<MeterValue> MeterValue);

public sealed record MeterValuesResponse;

public sealed record AuthorizeRequest(IdToken IdToken, string? Certificate = null);

public sealed record AuthorizeResponse(IdTokenInfo IdTokenInfo);

public sealed record VariableAttribute(
    AttributeType? Type = null,
    string? Value = null,
    Mutability? Mutability = null,
    bool? Persistent = null,
    bool? Constant = null);

public sealed record VariableCharacteristics(
    VariableDataType DataType,
    bool SupportsMonitoring,
    string? Unit = null,
    double? MinLimit = null,
    double? MaxLimit = null,
    string? ValuesList = null);

public sealed record ReportData(
    Component Component,
    Variable Variable,
    IReadOnlyList<VariableAttribute> VariableAttribute,
    VariableCharacteristics? VariableCharacteristics = null);

public sealed record NotifyReportRequest(int RequestId, DateTimeOffset GeneratedAt, int SeqNo, IReadOnlyList<ReportData>? ReportData = null, bool? Tbc = null);

public sealed record NotifyReportResponse;

public sealed record EventData(
    int EventId,
    DateTimeOffset Timestamp,
    EventTrigger Trigger,
    string ActualValue,
    EventNotificationType EventNotificationType,
    Component Component,
    Variable Variable,
    int? Cause = null,
    string? TechCode = null,
    string? TechInfo = null,
    bool? Cleared = null,
    string? TransactionId = null,
    int? VariableMonitoringId = null);

public sealed record NotifyEventRequest(DateTimeOffset GeneratedAt, int SeqNo, IReadOnlyList<EventData> EventData, bool? Tbc = null);

public sealed record NotifyEventResponse;

public sealed record ACChargingParameters(int EnergyAmount, int EvMinCurrent, int EvMaxCurrent, int EvMaxVoltage);

public sealed record DCChargingParameters(
    int EvMaxCurrent,
    int EvMaxVoltage,
    int? EnergyAmount = null,
    int? EvMaxPower = null,
    int? StateOfCharge = null,
    int? EvEnergyCapacity = null,
    int? FullSoC = null,
    int? BulkSoC = null);

public sealed record ChargingNeeds(
    EnergyTransferMode RequestedEnergyTransfer,
    DateTimeOffset? DepartureTime = null,
    ACChargingParameters? AcChargingParameters = null,
    DCChargingParameters? DcChargingParameters = null);

public sealed record NotifyEVChargingNeedsRequest(int EvseId, ChargingNeeds ChargingNeeds, int? MaxScheduleTuples = null);

public sealed record NotifyEVChargingNeedsResponse(NotifyEVChargingNeedsStatus Status, StatusInfo? StatusInfo = null);

public sealed record ChargingLimit(ChargingLimitSource ChargingLimitSource, bool? IsGridCritical = null);

public sealed record NotifyChargingLimitRequest(ChargingLimit ChargingLimit, int? EvseId = null, IReadOnlyList<ChargingSchedule>? ChargingSchedule = null);

public sealed record NotifyChargingLimitResponse;

public sealed record ClearedChargingLimitRequest(ChargingLimitSource ChargingLimitSource, int? EvseId = null);

public sealed record ClearedChargingLimitResponse;

public sealed record SecurityEventNotificationRequest(string Type, DateTimeOffset Timestamp, string? TechInfo = null);

public sealed record SecurityEventNotificationResponse;

public sealed record FirmwareStatusNotificationRequest(FirmwareStatus Status, int? RequestId = null);

public sealed record FirmwareStatusNotificationResponse;

public sealed record LogStatusNotificationRequest(UploadLogStatus Status, int? RequestId = null);

public sealed record LogStatusNotificationResponse;

public sealed record DataTransferRequest(string VendorId, string? MessageId = null, JsonElement? Data = null);

public sealed record DataTransferResponse(DataTransferStatus Status, StatusInfo? StatusInfo = null, JsonElement? Data = null);

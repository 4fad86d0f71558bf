using System.Text.Json.Serialization;

namespace BmwWallbox.Ocpp.Messages;

// OCPP 2.0.1 enumerations, spelled as on the wire. Connector status and charging state reuse
// the Core enums (BmwWallbox.Core.ConnectorStatus / ChargingState), which have the same names.

public enum BootReason { ApplicationReset, FirmwareUpdate, LocalReset, PowerUp, RemoteReset, ScheduledReset, Triggered, Unknown, Watchdog }

public enum RegistrationStatus { Accepted, Pending, Rejected }

public enum TransactionEventType { Ended, Started, Updated }

public enum TriggerReason
{
    Authorized, CablePluggedIn, ChargingRateChanged, ChargingStateChanged, Deauthorized, EnergyLimitReached,
    EVCommunicationLost, EVConnectTimeout, MeterValueClock, MeterValuePeriodic, TimeLimitReached, Trigger,
    UnlockCommand, StopAuthorized, EVDeparted, EVDetected, RemoteStop, RemoteStart, AbnormalCondition,
    SignedDataReceived, ResetCommand,
}

/// <summary>transactionInfo.stoppedReason.</summary>
public enum StoppedReason
{
    DeAuthorized, EmergencyStop, EnergyLimitReached, EVDisconnected, GroundFault, ImmediateReset, Local,
    LocalOutOfCredit, MasterPass, Other, OvercurrentFault, PowerLoss, PowerQuality, Reboot, Remote,
    SOCLimitReached, StoppedByEV, TimeLimitReached, Timeout,
}

public enum IdTokenKind
{
    Central,
    [JsonStringEnumMemberName("eMAID")] EMaid,
    ISO14443, ISO15693, KeyCode, Local, MacAddress, NoAuthorization,
}

public enum AuthorizationStatus
{
    Accepted, Blocked, ConcurrentTx, Expired, Invalid, NoCredit, NotAllowedTypeEVSE, NotAtThisLocation, NotAtThisTime, Unknown,
}

public enum Measurand
{
    [JsonStringEnumMemberName("Current.Export")] CurrentExport,
    [JsonStringEnumMemberName("Current.Import")] CurrentImport,
    [JsonStringEnumMemberName("Current.Offered")] CurrentOffered,
    [JsonStringEnumMemberName("Energy.Active.Export.Register")] EnergyActiveExportRegister,
    [JsonStringEnumMemberName("Energy.Active.Import.Register")] EnergyActiveImportRegister,
    [JsonStringEnumMemberName("Energy.Reactive.Export.Register")] EnergyReactiveExportRegister,
    [JsonStringEnumMemberName("Energy.Reactive.Import.Register")] EnergyReactiveImportRegister,
    [JsonStringEnumMemberName("Energy.Active.Export.Interval")] EnergyActiveExportInterval,
    [JsonStringEnumMemberName("Energy.Active.Import.Interval")] EnergyActiveImportInterval,
    [JsonStringEnumMemberName("Energy.Active.Net")] EnergyActiveNet,
    [JsonStringEnumMemberName("Energy.Reactive.Export.Interval")] EnergyReactiveExportInterval,
    [JsonStringEnumMemberName("Energy.Reactive.Import.Interval")] EnergyReactiveImportInterval,
    [JsonStringEnumMemberName("Energy.Reactive.Net")] EnergyReactiveNet,
    [JsonStringEnumMemberName("Energy.Apparent.Net")] EnergyApparentNet,
    [JsonStringEnumMemberName("Energy.Apparent.Import")] EnergyApparentImport,
    [JsonStringEnumMemberName("Energy.Apparent.Export")] EnergyApparentExport,
    Frequency,
    [JsonStringEnumMemberName("Power.Active.Export")] PowerActiveExport,
    [JsonStringEnumMemberName("Power.Active.Import")] PowerActiveImport,
    [JsonStringEnumMemberName("Power.Factor")] PowerFactor,
    [JsonStringEnumMemberName("Power.Offered")] PowerOffered,
    [JsonStringEnumMemberName("Power.Reactive.Export")] PowerReactiveExport,
    [JsonStringEnumMemberName("Power.Reactive.Import")] PowerReactiveImport,
    SoC,
    Voltage,
}

public enum Phase
{
    L1, L2, L3, N,
    [JsonStringEnumMemberName("L1-N")] L1N,
    [JsonStringEnumMemberName("L2-N")] L2N,
    [JsonStringEnumMemberName("L3-N")] L3N,
    [JsonStringEnumMemberName("L1-L2")] L1L2,
    [JsonStringEnumMemberName("L2-L3")] L2L3,
    [JsonStringEnumMemberName("L3-L1")] L3L1,
}

public enum ReadingContext
{
    [JsonStringEnumMemberName("Interruption.Begin")] InterruptionBegin,
    [JsonStringEnumMemberName("Interruption.End")] InterruptionEnd,
    Other,
    [JsonStringEnumMemberName("Sample.Clock")] SampleClock,
    [JsonStringEnumMemberName("Sample.Periodic")] SamplePeriodic,
    [JsonStringEnumMemberName("Transaction.Begin")] TransactionBegin,
    [JsonStringEnumMemberName("Transaction.End")] TransactionEnd,
    Trigger,
}

public enum MeasurementLocation { Body, Cable, EV, Inlet, Outlet }

public enum AttributeType { Actual, Target, MinSet, MaxSet }

public enum Mutability { ReadOnly, WriteOnly, ReadWrite }

public enum VariableDataType
{
    [JsonStringEnumMemberName("string")] String,
    [JsonStringEnumMemberName("decimal")] Decimal,
    [JsonStringEnumMemberName("integer")] Integer,
    [JsonStringEnumMemberName("dateTime")] DateTime,
    [JsonStringEnumMemberName("boolean")] Boolean,
    OptionList, SequenceList, MemberList,
}

public enum EventTrigger { Alerting, Delta, Periodic }

public enum EventNotificationType { HardWiredNotification, HardWiredMonitor, PreconfiguredMonitor, CustomMonitor }

public enum EnergyTransferMode
{
    DC,
    [JsonStringEnumMemberName("AC_single_phase")] AcSinglePhase,
    [JsonStringEnumMemberName("AC_two_phase")] AcTwoPhase,
    [JsonStringEnumMemberName("AC_three_phase")] AcThreePhase,
}

public enum NotifyEVChargingNeedsStatus { Accepted, Rejected, Processing }

public enum ChargingLimitSource { EMS, Other, SO, CSO }

public enum FirmwareStatus
{
    Downloaded, DownloadFailed, Downloading, DownloadScheduled, DownloadPaused, Idle, InstallationFailed, Installing,
    Installed, InstallRebooting, InstallScheduled, InstallVerificationFailed, InvalidSignature, SignatureVerified,
}

public enum UploadLogStatus { BadMessage, Idle, NotSupportedOperation, PermissionDenied, Uploaded, UploadFailure, Uploading, AcceptedCanceled }

public enum DataTransferStatus { Accepted, Rejected, UnknownMessageId, UnknownVendorId }

// CSMS → station

public enum ChargingRateUnit { W, A }

public enum ChargingProfilePurpose { ChargingStationExternalConstraints, ChargingStationMaxProfile, TxDefaultProfile, TxProfile }

public enum ChargingProfileKind { Absolute, Recurring, Relative }

public enum RecurrencyKind { Daily, Weekly }

public enum ChargingProfileStatus { Accepted, Rejected }

public enum ClearChargingProfileStatus { Accepted, Unknown }

public enum GetChargingProfileStatus { Accepted, NoProfiles }

public enum GenericStatus { Accepted, Rejected }

public enum RequestStartStopStatus { Accepted, Rejected }

public enum ResetType { Immediate, OnIdle }

public enum ResetStatus { Accepted, Rejected, Scheduled }

public enum SetVariableStatus { Accepted, Rejected, UnknownComponent, UnknownVariable, NotSupportedAttributeType, RebootRequired }

public enum GetVariableStatus { Accepted, Rejected, UnknownComponent, UnknownVariable, NotSupportedAttributeType }

public enum ReportBase { ConfigurationInventory, FullInventory, SummaryInventory }

public enum GenericDeviceModelStatus { Accepted, Rejected, NotSupported, EmptyResultSet }

public enum MessageTrigger
{
    BootNotification, LogStatusNotification, FirmwareStatusNotification, Heartbeat, MeterValues,
    SignChargingStationCertificate, SignV2GCertificate, StatusNotification, TransactionEvent,
    SignCombinedCertificate, PublishFirmwareStatusNotification,
}

public enum TriggerMessageStatus { Accepted, Rejected, NotImplemented }

public enum OperationalStatus { Inoperative, Operative }

public enum ChangeAvailabilityStatus { Accepted, Rejected, Scheduled }

public enum UnlockStatus { Unlocked, UnlockFailed, OngoingAuthorizedTransaction, UnknownConnector }

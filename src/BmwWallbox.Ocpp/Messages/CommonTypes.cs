using System.Text.Json.Serialization;

namespace BmwWallbox.Ocpp.Messages;

// Data types shared by several OCPP 2.0.1 messages. Property names map to the wire names in
// camelCase; optional fields are null in C# and omitted on the wire.

public sealed record StatusInfo(string ReasonCode, string? AdditionalInfo = null);

public sealed record Evse(int Id, int? ConnectorId = null);

public sealed record AdditionalInfo(string AdditionalIdToken, string Type);

public sealed record IdToken(
    [property: JsonPropertyName("idToken")] string Value,
    IdTokenKind Type,
    IReadOnlyList<AdditionalInfo>? AdditionalInfo = null);

public sealed record IdTokenInfo(AuthorizationStatus Status, DateTimeOffset? CacheExpiryDateTime = null, int? ChargingPriority = null);

public sealed record UnitOfMeasure(string? Unit = null, int? Multiplier = null);

public sealed record SampledValue(
    double Value,
    ReadingContext? Context = null,
    Measurand? Measurand = null,
    Phase? Phase = null,
    MeasurementLocation? Location = null,
    UnitOfMeasure? UnitOfMeasure = null);

public sealed record MeterValue(DateTimeOffset Timestamp, IReadOnlyList<SampledValue> SampledValue);

public sealed record Component(string Name, string? Instance = null, Evse? Evse = null);

public sealed record Variable(string Name, string? Instance = null);

public sealed record ChargingSchedulePeriod(int StartPeriod, double Limit, int? NumberPhases = null, int? PhaseToUse = null);

public sealed record ChargingSchedule(
    int Id,
    ChargingRateUnit ChargingRateUnit,
    IReadOnlyList<ChargingSchedulePeriod> ChargingSchedulePeriod,
    DateTimeOffset? StartSchedule = null,
    int? Duration = null,
    double? MinChargingRate = null);

public sealed record ChargingProfile(
    int Id,
    int StackLevel,
    ChargingProfilePurpose ChargingProfilePurpose,
    ChargingProfileKind ChargingProfileKind,
    IReadOnlyList<ChargingSchedule> ChargingSchedule,
    RecurrencyKind? RecurrencyKind = null,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidTo = null,
    string? TransactionId = null);

using System.Text.Json.Serialization;

namespace BmwWallbox.Mqtt;

/// <summary>The retained JSON of a station's last session (<see cref="SessionPublisher"/>); the names are the payload's keys.</summary>
internal sealed record SessionPayload(
    long Id,
    string Station,
    string StartedAt,
    string? EndedAt,
    string? EndReason,
    double EnergyKwh,
    double? SolarKwh,
    double? GridKwh,
    double? SolarShare,
    double? Cost,
    string? Currency,
    double MaxPowerW,
    double AvgPowerW,
    double ChargingMin,
    double PausedMin,
    Dictionary<string, double> LimitSources);

/// <summary>Its JSON code, generated at build time (no reflection: Native AOT, faster start); nulls are written.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(SessionPayload))]
internal sealed partial class SessionPayloadJson : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;

namespace BmwWallbox.Doctor;

/// <summary>
/// JSON of status.json and of `doctor --json`: snake_case, enums as text, UTC timestamps with Z. The code is
/// generated at build time (no reflection), so it runs in the Native AOT build and starts faster in the JIT one.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    UseStringEnumConverter = true, Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(DaemonStatus))]
[JsonSerializable(typeof(DoctorReport.JsonReport))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;

/// <summary>Writes every timestamp as UTC with a trailing Z (never +00:00 or a local offset).</summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime);
}

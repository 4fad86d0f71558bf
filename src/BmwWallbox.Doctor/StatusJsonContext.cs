using System.Text.Json;
using System.Text.Json.Serialization;

namespace BmwWallbox.Doctor;

/// <summary>JSON settings of status.json and of `doctor --json`: snake_case, enums as text, UTC timestamps with Z.</summary>
internal static class StatusJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(), new UtcTimestampConverter() },
    };

    /// <summary>Writes every timestamp as UTC with a trailing Z (never +00:00 or a local offset).</summary>
    private sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset().ToUniversalTime();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime);
    }
}

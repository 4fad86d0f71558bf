using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BmwWallbox.Rules.Engine.Tracing;

/// <summary>The wire form of traces: camelCase JSON, UTC timestamps with Z.</summary>
internal static class TraceJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new UtcConverter() },
    };

    public static string Serialize(RuleTrace trace) => JsonSerializer.Serialize(trace, Options);

    public static RuleTrace? Deserialize(string json) => JsonSerializer.Deserialize<RuleTrace>(json, Options);

    private sealed class UtcConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }
}

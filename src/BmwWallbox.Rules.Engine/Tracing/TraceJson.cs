using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Tracing;

/// <summary>The wire form of traces: camelCase JSON, UTC timestamps with Z.</summary>
internal static class TraceJson
{
    private static readonly TraceJsonContext Readable = new(ReadableJson.Of(TraceJsonContext.Default.Options));

    public static string Serialize(RuleTrace trace) => JsonSerializer.Serialize(trace, Readable.RuleTrace);

    public static RuleTrace? Deserialize(string json) => JsonSerializer.Deserialize(json, TraceJsonContext.Default.RuleTrace);

    internal sealed class UtcConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }
}

/// <summary>The traces' JSON code, generated at build time (no reflection: Native AOT, faster start).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(TraceJson.UtcConverter)])]
[JsonSerializable(typeof(RuleTrace))]
internal sealed partial class TraceJsonContext : JsonSerializerContext;

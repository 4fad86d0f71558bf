using System.Text.Json;
using System.Text.Json.Serialization;

namespace BmwWallbox.Ocpp.Messages;

/// <summary>A meter value (timestamp and sampled values), read by hand with the sampled values' own converter.</summary>
internal sealed class MeterValueConverter : JsonConverter<MeterValue>
{
    public override MeterValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JsonParts.ExpectStartObject(ref reader, typeToConvert);
        DateTimeOffset timestamp = default;
        List<SampledValue>? sampled = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueTextEquals("timestamp"u8) ? 1 : reader.ValueTextEquals("sampledValue"u8) ? 2 : 0;
            reader.Read();
            if (property == 0 || reader.TokenType == JsonTokenType.Null) reader.Skip();
            else if (property == 1) timestamp = JsonParts.Read<DateTimeOffset>(ref reader, options);
            else sampled = JsonParts.ReadList<SampledValue>(ref reader, options);
        }
        return new MeterValue(timestamp, sampled ?? []);
    }

    public override void Write(Utf8JsonWriter writer, MeterValue value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        JsonParts.Write(writer, "timestamp", value.Timestamp, options);
        JsonParts.WriteList(writer, "sampledValue", value.SampledValue, options);
        writer.WriteEndObject();
    }
}

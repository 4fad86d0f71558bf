using System.Text.Json;
using System.Text.Json.Serialization;

namespace BmwWallbox.Ocpp.Messages;

/// <summary>
/// A sampled value, read by hand: a TransactionEvent carries half a dozen of them, and the
/// serializer's path for a record with six constructor parameters boxes every argument.
/// Fields the model does not keep (signedMeterValue, customData) are skipped, as the serializer does.
/// </summary>
internal sealed class SampledValueConverter : JsonConverter<SampledValue>
{
    public override SampledValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JsonParts.ExpectStartObject(ref reader, typeToConvert);
        double value = 0;
        ReadingContext? context = null;
        Measurand? measurand = null;
        Phase? phase = null;
        MeasurementLocation? location = null;
        UnitOfMeasure? unit = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueTextEquals("value"u8) ? 1
                : reader.ValueTextEquals("measurand"u8) ? 2
                : reader.ValueTextEquals("context"u8) ? 3
                : reader.ValueTextEquals("phase"u8) ? 4
                : reader.ValueTextEquals("location"u8) ? 5
                : reader.ValueTextEquals("unitOfMeasure"u8) ? 6
                : 0;
            reader.Read();
            if (property == 1) value = reader.GetDouble();
            else if (property == 0 || reader.TokenType == JsonTokenType.Null) reader.Skip();
            else if (property == 2) measurand = JsonParts.ReadEnum<Measurand>(ref reader, options);
            else if (property == 3) context = JsonParts.ReadEnum<ReadingContext>(ref reader, options);
            else if (property == 4) phase = JsonParts.ReadEnum<Phase>(ref reader, options);
            else if (property == 5) location = JsonParts.ReadEnum<MeasurementLocation>(ref reader, options);
            else unit = ReadUnit(ref reader);
        }
        return new SampledValue(value, context, measurand, phase, location, unit);
    }

    /// <summary>By hand too: the serializer's path for a record with constructor parameters was a tenth of a TransactionEvent's reading.</summary>
    private static UnitOfMeasure ReadUnit(ref Utf8JsonReader reader)
    {
        JsonParts.ExpectStartObject(ref reader, typeof(UnitOfMeasure));
        string? unit = null;
        int? multiplier = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueTextEquals("unit"u8) ? 1 : reader.ValueTextEquals("multiplier"u8) ? 2 : 0;
            reader.Read();
            if (property == 0) reader.Skip();
            else if (property == 1) unit = reader.GetString();
            else multiplier = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32();
        }
        return new UnitOfMeasure(unit, multiplier);
    }

    public override void Write(Utf8JsonWriter writer, SampledValue value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("value", value.Value);
        JsonParts.WriteIfSet(writer, "context", value.Context, options);
        JsonParts.WriteIfSet(writer, "measurand", value.Measurand, options);
        JsonParts.WriteIfSet(writer, "phase", value.Phase, options);
        JsonParts.WriteIfSet(writer, "location", value.Location, options);
        if (value.UnitOfMeasure is { } unit) JsonParts.WriteObject(writer, "unitOfMeasure", unit, options);
        writer.WriteEndObject();
    }
}

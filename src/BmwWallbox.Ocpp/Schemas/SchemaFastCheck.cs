using System.Text;
using System.Text.Json;
using BmwWallbox.Ocpp.Messages;

namespace BmwWallbox.Ocpp.Schemas;

/// <summary>
/// Checks a payload against its schema in one forward read of its bytes, the way nearly every
/// message arrives: valid. Walking the parsed document instead (each property found by name, each
/// value an element) cost about twice as much per TransactionEvent. It only says "valid";
/// a violation, or an escaped name or string (rare in OCPP, not unescaped here), goes to the
/// element walk in <see cref="OcppSchemas"/>, which decides and says where it broke.
/// </summary>
internal static class SchemaFastCheck
{
    /// <summary>True only when the payload meets the schema; false: ask the element walk.</summary>
    public static bool IsValid(SchemaNode schema, ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            return reader.Read() && IsValid(schema, ref reader);
        }
        catch (JsonException)
        {
            return false; // not expected (the frame was parsed already); the element walk decides
        }
    }

    private static bool IsValid(SchemaNode schema, ref Utf8JsonReader reader)
    {
        var token = reader.TokenType;
        if (schema.Type is { } type && !HasType(ref reader, type)) return false;
        if (schema.Enum is { } allowed && !(token == JsonTokenType.String && IsOneOf(ref reader, allowed))) return false;
        return token switch
        {
            JsonTokenType.String => IsValidString(schema, ref reader),
            JsonTokenType.Number => reader.TryGetDouble(out var number) && double.IsFinite(number) && IsInRange(schema, number),
            JsonTokenType.StartObject => IsValidObject(schema, ref reader),
            JsonTokenType.StartArray => IsValidArray(schema, ref reader),
            _ => true,
        };
    }

    private static bool HasType(ref Utf8JsonReader reader, string type) => type switch
    {
        "string" => reader.TokenType == JsonTokenType.String,
        "integer" => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out _),
        "number" => reader.TokenType == JsonTokenType.Number,
        "boolean" => reader.TokenType is JsonTokenType.True or JsonTokenType.False,
        "object" => reader.TokenType == JsonTokenType.StartObject,
        "array" => reader.TokenType == JsonTokenType.StartArray,
        _ => true,
    };

    private static bool IsOneOf(ref Utf8JsonReader reader, byte[][] allowed)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence) return false;
        foreach (var utf8 in allowed)
            if (reader.ValueSpan.SequenceEqual(utf8)) return true;
        return false;
    }

    private static bool IsValidString(SchemaNode schema, ref Utf8JsonReader reader)
    {
        if (schema.MaxLength is null && !schema.DateTime) return true;
        if (reader.ValueIsEscaped || reader.HasValueSequence) return false;
        var raw = reader.ValueSpan;
        if (schema.MaxLength is { } max && raw.Length > max && OcppSchemas.CountRunes(raw) > max) return false;
        if (!schema.DateTime) return true;
        Span<char> text = stackalloc char[OcppSchemas.MaxTimestampLength];
        return raw.Length <= OcppSchemas.MaxTimestampLength && OcppTimestamp.TryParse(text[..Encoding.UTF8.GetChars(raw, text)], out _);
    }

    private static bool IsInRange(SchemaNode schema, double number)
        => (schema.Minimum is not { } min || number >= min) && (schema.Maximum is not { } max || number <= max);

    private static bool IsValidObject(SchemaNode schema, ref Utf8JsonReader reader)
    {
        if (schema.Required.Length > 64) return false;
        var seen = 0UL; // one bit per required property
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueIsEscaped || reader.HasValueSequence) return false;
            var property = Find(schema, reader.ValueSpan);
            reader.Read();
            if (property is null)
            {
                if (schema.Closed) return false;
                reader.Skip();
                continue;
            }
            if (property.RequiredIndex >= 0) seen |= 1UL << property.RequiredIndex;
            if (!IsValid(property.Schema, ref reader)) return false;
        }
        var all = schema.Required.Length == 64 ? ulong.MaxValue : (1UL << schema.Required.Length) - 1;
        return seen == all;
    }

    private static SchemaProperty? Find(SchemaNode schema, ReadOnlySpan<byte> name)
    {
        if (schema.Properties is not { } properties) return null;
        foreach (var known in properties)
            if (name.SequenceEqual(known.Utf8Name)) return known;
        return null;
    }

    private static bool IsValidArray(SchemaNode schema, ref Utf8JsonReader reader)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (schema.Items is { } items)
            {
                if (!IsValid(items, ref reader)) return false;
            }
            else
            {
                reader.Skip();
            }
            count++;
        }
        return (schema.MinItems is not { } min || count >= min) && (schema.MaxItems is not { } max || count <= max);
    }
}

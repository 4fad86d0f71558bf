using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using BmwWallbox.Ocpp.Messages;
using BmwWallbox.Ocpp.Rpc;

namespace BmwWallbox.Ocpp.Schemas;

/// <summary>A payload that breaks its schema: the CALLERROR code to answer with and where it broke.</summary>
internal sealed record SchemaViolation(string ErrorCode, string Message);

/// <summary>
/// Validates payloads against the official OCPP 2.0.1 JSON schemas (embedded, draft-07 subset:
/// type, $ref, properties, required, additionalProperties, enum, maxLength, format date-time,
/// minimum/maximum, items, minItems/maxItems) and maps each failure to its OCPP error code.
/// Each schema is compiled into <see cref="SchemaNode"/>s the first time its action is used; the
/// path in an error message is only built when there is an error.
/// </summary>
internal sealed class OcppSchemas
{
    private readonly Dictionary<string, JsonElement> _schemas;
    // By action: looking a schema up needs no "urn:…" string per message.
    private readonly ConcurrentDictionary<string, SchemaNode> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SchemaNode> _responses = new(StringComparer.Ordinal);

    private OcppSchemas(Dictionary<string, JsonElement> schemas) => _schemas = schemas;

    /// <summary>Loaded once; immutable afterwards.</summary>
    public static OcppSchemas Default { get; } = Load();

    /// <summary>True when OCPP 2.0.1 defines the action (in either direction).</summary>
    public bool IsKnownAction(string action) => _schemas.ContainsKey($"urn:{action}.req");

    public SchemaViolation? ValidateRequest(string action, JsonElement payload) => Validate(_requests, action, "req", payload);

    public SchemaViolation? ValidateResponse(string action, JsonElement payload) => Validate(_responses, action, "conf", payload);

    private SchemaViolation? Validate(ConcurrentDictionary<string, SchemaNode> compiled, string action, string direction, JsonElement payload)
    {
        if (!compiled.TryGetValue(action, out var node))
        {
            var schemaId = $"urn:{action}.{direction}";
            if (!_schemas.TryGetValue(schemaId, out var schema))
                return new SchemaViolation(RpcErrorCode.NotImplemented, $"no schema {schemaId}");
            node = compiled.GetOrAdd(action, SchemaNode.Compile(schema));
        }
        if (payload.ValueKind != JsonValueKind.Undefined && SchemaFastCheck.IsValid(node, JsonMarshal.GetRawUtf8Value(payload))) return null;
        return Check(node, payload) is { } failure ? failure.ToViolation() : null;
    }

    private static Failure? Check(SchemaNode schema, JsonElement value)
    {
        if (schema.Type is { } type && !HasType(value, type))
            return new Failure(RpcErrorCode.TypeConstraintViolation, $" must be of type {type}, not {Describe(value.ValueKind)}");

        if (schema.Enum is { } allowed && !(value.ValueKind == JsonValueKind.String && IsOneOf(value, allowed)))
            return new Failure(RpcErrorCode.PropertyConstraintViolation, $" must be one of {schema.EnumText}");

        return value.ValueKind switch
        {
            JsonValueKind.String => CheckString(schema, value),
            JsonValueKind.Number => value.TryGetDouble(out var number) && double.IsFinite(number)
                ? CheckNumber(schema, number)
                : new Failure(RpcErrorCode.TypeConstraintViolation, " is a number out of range"),
            JsonValueKind.Object => CheckObject(schema, value),
            JsonValueKind.Array => CheckArray(schema, value),
            _ => null,
        };
    }

    private static bool IsOneOf(JsonElement value, byte[][] allowed)
    {
        foreach (var utf8 in allowed)
            if (value.ValueEquals(utf8)) return true;
        return false;
    }

    private static Failure? CheckString(SchemaNode schema, JsonElement value)
    {
        if (schema.MaxLength is null && !schema.DateTime) return null;
        // Read in place; only an escaped string (rare in OCPP) is unescaped into a string first.
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw is [(byte)'"', .. var inner, (byte)'"']) raw = inner;
        if (raw.Contains((byte)'\\')) return CheckString(schema, value.GetString()!);

        if (schema.MaxLength is { } max && raw.Length > max && CountRunes(raw) > max)
            return new Failure(RpcErrorCode.PropertyConstraintViolation, $" is longer than {max} characters");
        if (schema.DateTime)
        {
            Span<char> text = stackalloc char[MaxTimestampLength];
            if (raw.Length > MaxTimestampLength || !OcppTimestamp.TryParse(text[..Encoding.UTF8.GetChars(raw, text)], out _))
                return new Failure(RpcErrorCode.PropertyConstraintViolation, $" must be an ISO-8601 date-time, not '{Clip(value.GetString()!)}'");
        }
        return null;
    }

    /// <summary>Longer than any ISO-8601 timestamp with fractions and offset.</summary>
    internal const int MaxTimestampLength = 64;

    private static Failure? CheckString(SchemaNode schema, string text)
    {
        if (schema.MaxLength is { } max && text.Length > max && text.EnumerateRunes().Count() > max) // a rune is one or two chars
            return new Failure(RpcErrorCode.PropertyConstraintViolation, $" is longer than {max} characters");
        if (schema.DateTime && !OcppTimestamp.TryParse(text, out _))
            return new Failure(RpcErrorCode.PropertyConstraintViolation, $" must be an ISO-8601 date-time, not '{Clip(text)}'");
        return null;
    }

    /// <summary>Characters as the schema counts them (code points): in UTF-8, every byte that does not continue a sequence starts one.</summary>
    internal static int CountRunes(ReadOnlySpan<byte> utf8)
    {
        var continuation = 0;
        foreach (var b in utf8)
            if ((b & 0xC0) == 0x80) continuation++;
        return utf8.Length - continuation;
    }

    private static Failure? CheckNumber(SchemaNode schema, double number)
    {
        if (schema.Minimum is { } min && number < min)
            return new Failure(RpcErrorCode.PropertyConstraintViolation, $" must be at least {min.ToString(CultureInfo.InvariantCulture)}");
        if (schema.Maximum is { } max && number > max)
            return new Failure(RpcErrorCode.PropertyConstraintViolation, $" must be at most {max.ToString(CultureInfo.InvariantCulture)}");
        return null;
    }

    private static Failure? CheckObject(SchemaNode schema, JsonElement value)
    {
        foreach (var name in schema.Required)
        {
            if (!value.TryGetProperty(name, out _))
                return new Failure(RpcErrorCode.OccurrenceConstraintViolation, " is required").Under("." + Encoding.UTF8.GetString(name));
        }

        foreach (var property in value.EnumerateObject())
        {
            if (SchemaOf(schema, property) is { } propertySchema)
            {
                if (Check(propertySchema, property.Value) is { } failure)
                    return failure.Under("." + property.Name);
            }
            else if (schema.Closed)
            {
                return new Failure(RpcErrorCode.PropertyConstraintViolation, " is not a property of this message").Under("." + Clip(property.Name));
            }
        }
        return null;
    }

    private static SchemaNode? SchemaOf(SchemaNode schema, JsonProperty property)
    {
        if (schema.Properties is not { } properties) return null;
        foreach (var known in properties)
            if (property.NameEquals(known.Utf8Name)) return known.Schema;
        return null;
    }

    private static Failure? CheckArray(SchemaNode schema, JsonElement value)
    {
        var count = value.GetArrayLength();
        if (schema.MinItems is { } min && count < min)
            return new Failure(RpcErrorCode.OccurrenceConstraintViolation, $" needs at least {min} item(s)");
        if (schema.MaxItems is { } max && count > max)
            return new Failure(RpcErrorCode.OccurrenceConstraintViolation, $" allows at most {max} item(s)");
        if (schema.Items is { } items)
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (Check(items, item) is { } failure)
                    return failure.Under($"[{index}]");
                index++;
            }
        }
        return null;
    }

    /// <summary>A failure on its way up: the path is collected from the innermost segment outwards.</summary>
    private sealed class Failure(string code, string tail)
    {
        private readonly List<string> _segments = [];

        public Failure Under(string segment)
        {
            _segments.Add(segment);
            return this;
        }

        public SchemaViolation ToViolation()
        {
            _segments.Reverse();
            return new SchemaViolation(code, "$" + string.Concat(_segments) + tail);
        }
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        _ => true,
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static OcppSchemas Load()
    {
        using var stream = typeof(OcppSchemas).Assembly.GetManifestResourceStream("BmwWallbox.Ocpp.Schemas.ocpp2_0_1.json")
            ?? throw new InvalidOperationException("Embedded OCPP 2.0.1 schemas are missing from the assembly");
        using var document = JsonDocument.Parse(stream);
        var schemas = document.RootElement.EnumerateArray()
            .ToDictionary(s => s.GetProperty("$id").GetString()!, s => s.Clone(), StringComparer.Ordinal);
        return new OcppSchemas(schemas);
    }
}

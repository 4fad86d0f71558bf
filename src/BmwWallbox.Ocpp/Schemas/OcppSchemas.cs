using System.Collections.Concurrent;
using System.Globalization;
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
    private readonly ConcurrentDictionary<string, SchemaNode> _compiled = new(StringComparer.Ordinal);

    private OcppSchemas(Dictionary<string, JsonElement> schemas) => _schemas = schemas;

    /// <summary>Loaded once; immutable afterwards.</summary>
    public static OcppSchemas Default { get; } = Load();

    /// <summary>True when OCPP 2.0.1 defines the action (in either direction).</summary>
    public bool IsKnownAction(string action) => _schemas.ContainsKey($"urn:{action}.req");

    public SchemaViolation? ValidateRequest(string action, JsonElement payload) => Validate($"urn:{action}.req", payload);

    public SchemaViolation? ValidateResponse(string action, JsonElement payload) => Validate($"urn:{action}.conf", payload);

    private SchemaViolation? Validate(string schemaId, JsonElement payload)
    {
        if (!_compiled.TryGetValue(schemaId, out var node))
        {
            if (!_schemas.TryGetValue(schemaId, out var schema))
                return new SchemaViolation(RpcErrorCode.NotImplemented, $"no schema {schemaId}");
            node = _compiled.GetOrAdd(schemaId, SchemaNode.Compile(schema));
        }
        return Check(node, payload) is { } failure ? failure.ToViolation() : null;
    }

    private static Failure? Check(SchemaNode schema, JsonElement value)
    {
        if (schema.Type is { } type && !HasType(value, type))
            return new Failure(RpcErrorCode.TypeConstraintViolation, $" must be of type {type}, not {Describe(value.ValueKind)}");

        if (schema.Enum is { } allowed && !(value.ValueKind == JsonValueKind.String && allowed.Contains(value.GetString()!)))
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

    private static Failure? CheckString(SchemaNode schema, JsonElement value)
    {
        if (schema.MaxLength is null && !schema.DateTime) return null;
        var text = value.GetString()!;
        if (schema.MaxLength is { } max && text.Length > max && text.EnumerateRunes().Count() > max) // a rune is one or two chars
            return new Failure(RpcErrorCode.PropertyConstraintViolation, $" is longer than {max} characters");
        if (schema.DateTime && !OcppTimestamp.TryParse(text, out _))
            return new Failure(RpcErrorCode.PropertyConstraintViolation, $" must be an ISO-8601 date-time, not '{Clip(text)}'");
        return null;
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
                return new Failure(RpcErrorCode.OccurrenceConstraintViolation, " is required").Under("." + name);
        }

        foreach (var property in value.EnumerateObject())
        {
            if (schema.Properties is { } properties && properties.TryGetValue(property.Name, out var propertySchema))
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

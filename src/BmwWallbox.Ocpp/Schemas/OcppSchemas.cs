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
/// </summary>
internal sealed class OcppSchemas
{
    private readonly Dictionary<string, JsonElement> _schemas;

    private OcppSchemas(Dictionary<string, JsonElement> schemas) => _schemas = schemas;

    /// <summary>Loaded once; immutable afterwards.</summary>
    public static OcppSchemas Default { get; } = Load();

    /// <summary>True when OCPP 2.0.1 defines the action (in either direction).</summary>
    public bool IsKnownAction(string action) => _schemas.ContainsKey($"urn:{action}.req");

    public SchemaViolation? ValidateRequest(string action, JsonElement payload) => Validate($"urn:{action}.req", payload);

    public SchemaViolation? ValidateResponse(string action, JsonElement payload) => Validate($"urn:{action}.conf", payload);

    private SchemaViolation? Validate(string schemaId, JsonElement payload)
    {
        if (!_schemas.TryGetValue(schemaId, out var schema))
            return new SchemaViolation(RpcErrorCode.NotImplemented, $"no schema {schemaId}");
        return Check(schema, payload, schema.GetProperty("definitions"), "$");
    }

    private static SchemaViolation? Check(JsonElement schema, JsonElement value, JsonElement definitions, string path)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!["#/definitions/".Length..];
            return Check(definitions.GetProperty(name), value, definitions, path);
        }

        if (schema.TryGetProperty("type", out var type) && !HasType(value, type.GetString()!))
            return Type($"{path} must be of type {type.GetString()}, not {Describe(value.ValueKind)}");

        if (schema.TryGetProperty("enum", out var allowed)
            && !allowed.EnumerateArray().Any(a => value.ValueKind == JsonValueKind.String && a.GetString() == value.GetString()))
            return Property($"{path} must be one of {string.Join(", ", allowed.EnumerateArray().Select(a => a.GetString()))}");

        return value.ValueKind switch
        {
            JsonValueKind.String => CheckString(schema, value.GetString()!, path),
            JsonValueKind.Number => value.TryGetDouble(out var number) && double.IsFinite(number)
                ? CheckNumber(schema, number, path)
                : Type($"{path} is a number out of range"),
            JsonValueKind.Object => CheckObject(schema, value, definitions, path),
            JsonValueKind.Array => CheckArray(schema, value, definitions, path),
            _ => null,
        };
    }

    private static SchemaViolation? CheckString(JsonElement schema, string text, string path)
    {
        if (schema.TryGetProperty("maxLength", out var max) && text.EnumerateRunes().Count() > max.GetInt32())
            return Property($"{path} is longer than {max.GetInt32()} characters");
        if (schema.TryGetProperty("format", out var format) && format.GetString() == "date-time" && !OcppTimestamp.TryParse(text, out _))
            return Property($"{path} must be an ISO-8601 date-time, not '{Clip(text)}'");
        return null;
    }

    private static SchemaViolation? CheckNumber(JsonElement schema, double number, string path)
    {
        if (schema.TryGetProperty("minimum", out var min) && number < min.GetDouble())
            return Property($"{path} must be at least {min.GetDouble().ToString(CultureInfo.InvariantCulture)}");
        if (schema.TryGetProperty("maximum", out var max) && number > max.GetDouble())
            return Property($"{path} must be at most {max.GetDouble().ToString(CultureInfo.InvariantCulture)}");
        return null;
    }

    private static SchemaViolation? CheckObject(JsonElement schema, JsonElement value, JsonElement definitions, string path)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray())
            {
                if (!value.TryGetProperty(name.GetString()!, out _))
                    return new SchemaViolation(RpcErrorCode.OccurrenceConstraintViolation, $"{path}.{name.GetString()} is required");
            }
        }

        schema.TryGetProperty("properties", out var properties);
        var closed = schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False;
        foreach (var property in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                if (Check(propertySchema, property.Value, definitions, $"{path}.{property.Name}") is { } violation)
                    return violation;
            }
            else if (closed)
            {
                return Property($"{path}.{Clip(property.Name)} is not a property of this message");
            }
        }
        return null;
    }

    private static SchemaViolation? CheckArray(JsonElement schema, JsonElement value, JsonElement definitions, string path)
    {
        var count = value.GetArrayLength();
        if (schema.TryGetProperty("minItems", out var min) && count < min.GetInt32())
            return new SchemaViolation(RpcErrorCode.OccurrenceConstraintViolation, $"{path} needs at least {min.GetInt32()} item(s)");
        if (schema.TryGetProperty("maxItems", out var max) && count > max.GetInt32())
            return new SchemaViolation(RpcErrorCode.OccurrenceConstraintViolation, $"{path} allows at most {max.GetInt32()} item(s)");
        if (schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (Check(items, item, definitions, $"{path}[{index++}]") is { } violation)
                    return violation;
            }
        }
        return null;
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

    private static SchemaViolation Type(string message) => new(RpcErrorCode.TypeConstraintViolation, message);

    private static SchemaViolation Property(string message) => new(RpcErrorCode.PropertyConstraintViolation, message);

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

using System.Text;
using System.Text.Json;

namespace BmwWallbox.Ocpp.Schemas;

/// <summary>
/// One JSON schema (draft-07 subset) compiled into plain fields: reading it no longer looks
/// properties up in the schema's JSON on every message. <c>$ref</c>s point at the shared node of
/// their definition.
/// </summary>
internal sealed class SchemaNode
{
    public string? Type { get; private set; }
    /// <summary>The allowed values as UTF-8, compared with the payload's bytes without making strings.</summary>
    public byte[][]? Enum { get; private set; }
    /// <summary>The allowed values in schema order, for the error message.</summary>
    public string? EnumText { get; private set; }
    public int? MaxLength { get; private set; }
    public bool DateTime { get; private set; }
    public double? Minimum { get; private set; }
    public double? Maximum { get; private set; }
    /// <summary>The required property names as UTF-8, in schema order (the first missing one is reported).</summary>
    public byte[][] Required { get; private set; } = [];
    /// <summary>The named properties: a message has a dozen at most, so a scan beats a lookup that needs the name as a string.</summary>
    public SchemaProperty[]? Properties { get; private set; }
    public bool Closed { get; private set; }
    public SchemaNode? Items { get; private set; }
    public int? MinItems { get; private set; }
    public int? MaxItems { get; private set; }

    /// <summary>Compiles a top-level schema with its own <c>definitions</c>.</summary>
    public static SchemaNode Compile(JsonElement schema)
    {
        var definitions = schema.TryGetProperty("definitions", out var d) ? d : default;
        return Compile(schema, definitions, new Dictionary<string, SchemaNode>(StringComparer.Ordinal));
    }

    private static SchemaNode Compile(JsonElement schema, JsonElement definitions, Dictionary<string, SchemaNode> compiled)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!["#/definitions/".Length..];
            if (compiled.TryGetValue(name, out var known)) return known;
            var node = new SchemaNode();
            compiled[name] = node; // before filling it: a definition may refer to itself
            node.Fill(definitions.GetProperty(name), definitions, compiled);
            return node;
        }
        var inline = new SchemaNode();
        inline.Fill(schema, definitions, compiled);
        return inline;
    }

    private void Fill(JsonElement schema, JsonElement definitions, Dictionary<string, SchemaNode> compiled)
    {
        if (schema.TryGetProperty("$ref", out _))
        {
            // A definition that is only a reference: take over the referenced one's rules.
            CopyFrom(Compile(schema, definitions, compiled));
            return;
        }
        if (schema.TryGetProperty("type", out var type)) Type = type.GetString();
        if (schema.TryGetProperty("enum", out var allowed))
        {
            var values = allowed.EnumerateArray().Select(a => a.GetString()!).ToArray();
            Enum = [.. values.Select(Encoding.UTF8.GetBytes)];
            EnumText = string.Join(", ", values);
        }
        if (schema.TryGetProperty("maxLength", out var maxLength)) MaxLength = maxLength.GetInt32();
        DateTime = schema.TryGetProperty("format", out var format) && format.GetString() == "date-time";
        if (schema.TryGetProperty("minimum", out var min)) Minimum = min.GetDouble();
        if (schema.TryGetProperty("maximum", out var max)) Maximum = max.GetDouble();
        if (schema.TryGetProperty("required", out var required)) Required = [.. required.EnumerateArray().Select(r => Encoding.UTF8.GetBytes(r.GetString()!))];
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            Properties = [.. properties.EnumerateObject().Select(p =>
            {
                var name = Encoding.UTF8.GetBytes(p.Name);
                return new SchemaProperty(name, Compile(p.Value, definitions, compiled), Array.FindIndex(Required, r => r.AsSpan().SequenceEqual(name)));
            })];
        }
        Closed = schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False;
        if (schema.TryGetProperty("items", out var items)) Items = Compile(items, definitions, compiled);
        if (schema.TryGetProperty("minItems", out var minItems)) MinItems = minItems.GetInt32();
        if (schema.TryGetProperty("maxItems", out var maxItems)) MaxItems = maxItems.GetInt32();
    }

    private void CopyFrom(SchemaNode other)
    {
        (Type, Enum, EnumText, MaxLength, DateTime, Minimum, Maximum) = (other.Type, other.Enum, other.EnumText, other.MaxLength, other.DateTime, other.Minimum, other.Maximum);
        (Required, Properties, Closed, Items, MinItems, MaxItems) = (other.Required, other.Properties, other.Closed, other.Items, other.MinItems, other.MaxItems);
    }
}

/// <summary>
/// A named property of an object schema; the name in UTF-8, as the payload carries it, and its place
/// in the schema's <see cref="SchemaNode.Required"/> (-1: optional).
/// </summary>
internal sealed record SchemaProperty(byte[] Utf8Name, SchemaNode Schema, int RequiredIndex);

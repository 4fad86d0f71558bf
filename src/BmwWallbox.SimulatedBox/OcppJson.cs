using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox;

/// <summary>Strict readers for CSMS payloads: bad input becomes the matching OCPP error code.</summary>
internal static class OcppJson
{
    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The node as a peer would parse it off the wire, so in-process consumers see exactly what a
    /// socket would give them (JSON-element backed values, no C#-typed ones, no shared instances).
    /// </summary>
    public static T WireCopy<T>(T node) where T : JsonNode => (T)JsonNode.Parse(node.ToJsonString())!;

    public static JsonObject Object(JsonNode? node, string path) =>
        node as JsonObject ?? throw new OcppCallErrorException("FormatViolation", $"{path} must be a JSON object");

    public static JsonObject RequireObject(JsonObject o, string name, string path) =>
        Get(o, name, path) is { } n ? n as JsonObject ?? throw Type(path, name, "an object") : throw Missing(path, name);

    public static JsonObject? OptionalObject(JsonObject o, string name, string path) =>
        Get(o, name, path) is { } n ? n as JsonObject ?? throw Type(path, name, "an object") : null;

    public static JsonArray RequireArray(JsonObject o, string name, string path) =>
        OptionalArray(o, name, path) ?? throw Missing(path, name);

    public static JsonArray? OptionalArray(JsonObject o, string name, string path) =>
        Get(o, name, path) is { } n ? n as JsonArray ?? throw Type(path, name, "an array") : null;

    public static string RequireString(JsonObject o, string name, string path) =>
        OptionalString(o, name, path) ?? throw Missing(path, name);

    public static string? OptionalString(JsonObject o, string name, string path) =>
        Get(o, name, path) switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => throw Type(path, name, "a string"),
        };

    public static string RequireEnum(JsonObject o, string name, string path, params string[] allowed) =>
        OptionalEnum(o, name, path, allowed) ?? throw Missing(path, name);

    public static string? OptionalEnum(JsonObject o, string name, string path, params string[] allowed)
    {
        var value = OptionalString(o, name, path);
        if (value is not null && Array.IndexOf(allowed, value) < 0)
            throw new OcppCallErrorException("PropertyConstraintViolation",
                $"{path}.{name} '{value}' is not one of {string.Join(", ", allowed)}");
        return value;
    }

    public static int RequireInt(JsonObject o, string name, string path) =>
        OptionalInt(o, name, path) ?? throw Missing(path, name);

    public static int? OptionalInt(JsonObject o, string name, string path) =>
        Get(o, name, path) switch
        {
            null => null,
            JsonValue v when TryInt(v, out var i) => i,
            _ => throw Type(path, name, "an integer"),
        };

    public static double RequireNumber(JsonObject o, string name, string path) =>
        Get(o, name, path) switch
        {
            null => throw Missing(path, name),
            JsonValue v when TryNumber(v, out var d) => d,
            _ => throw Type(path, name, "a number"),
        };

    public static DateTimeOffset? OptionalTimestamp(JsonObject o, string name, string path)
    {
        var text = OptionalString(o, name, path);
        if (text is null) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new OcppCallErrorException("FormatViolation", $"{path}.{name} '{text}' is not an ISO-8601 timestamp");
    }

    /// <summary>
    /// A number whatever backs the node: parsed JSON, or a C# int/long/double/decimal put into a
    /// JsonObject by an in-process caller (TryGetValue&lt;double&gt; alone fails for a boxed int).
    /// </summary>
    public static bool TryNumber(JsonValue v, out double d)
    {
        d = 0;
        if (v.GetValueKind() != JsonValueKind.Number) return false;
        return v.TryGetValue(out d)
            || double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d);
    }

    public static bool TryInt(JsonNode? node, out int i)
    {
        i = 0;
        if (node is not JsonValue v || !TryNumber(v, out var d) || d != Math.Floor(d) || Math.Abs(d) > int.MaxValue) return false;
        i = (int)d;
        return true;
    }

    /// <summary>A JSON <c>null</c> counts as absent: OCPP peers must omit optional fields, we stay lenient.</summary>
    private static JsonNode? Get(JsonObject o, string name, string path) =>
        o.TryGetPropertyValue(name, out var node) ? node : null;

    private static OcppCallErrorException Missing(string path, string name) =>
        new("OccurrenceConstraintViolation", $"{path}.{name} is required");

    private static OcppCallErrorException Type(string path, string name, string expected) =>
        new("TypeConstraintViolation", $"{path}.{name} must be {expected}");
}

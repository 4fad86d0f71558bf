using System.Globalization;
using System.Text.Json;

namespace BmwWallbox.Mqtt;

internal enum SignalPayloadKind { Value, Unavailable, Invalid }

/// <summary>What one payload means for a signal: a number, "no value right now", or garbage.</summary>
internal readonly record struct SignalPayload(SignalPayloadKind Kind, double Value = 0, string? Error = null)
{
    // What home hubs and devices send when they have no reading: HA statestream ("unavailable",
    // "unknown"), cleared retained topics (""), ESPHome/Tasmota "nan", JSON null (Victron).
    private static readonly HashSet<string> NoValueWords = new(StringComparer.OrdinalIgnoreCase)
        { "", "unavailable", "unknown", "none", "null", "nan" };

    public static SignalPayload Parse(string payload, JsonPath? path, double scale)
    {
        if (path is null) return FromText(payload, scale);
        JsonDocument document;
        try { document = JsonDocument.Parse(payload); }
        catch (JsonException)
        {
            return NoValueWords.Contains(payload.Trim()) ? new(SignalPayloadKind.Unavailable) : Invalid($"not JSON: '{Shorten(payload)}'");
        }
        using (document)
        {
            if (!path.TryFind(document.RootElement, out var element))
                return Invalid($"no value at {path} in '{Shorten(payload)}'");
            return element.ValueKind switch
            {
                JsonValueKind.Number => Scaled(element.GetDouble(), scale),
                JsonValueKind.String => FromText(element.GetString() ?? "", scale),
                JsonValueKind.Null => new(SignalPayloadKind.Unavailable),
                _ => Invalid($"{path} is {element.ValueKind.ToString().ToLowerInvariant()}, not a number"),
            };
        }
    }

    private static SignalPayload FromText(string text, double scale)
    {
        var trimmed = text.Trim();
        if (NoValueWords.Contains(trimmed)) return new(SignalPayloadKind.Unavailable);
        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? Scaled(value, scale)
            : Invalid($"not a number: '{Shorten(trimmed)}'");
    }

    private static SignalPayload Scaled(double value, double scale)
    {
        var scaled = value * scale;
        return double.IsFinite(scaled) ? new(SignalPayloadKind.Value, scaled) : Invalid($"not a finite number: {value}");
    }

    private static SignalPayload Invalid(string error) => new(SignalPayloadKind.Invalid, Error: error);

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using BmwWallbox.Core;

namespace BmwWallbox.Planning;

/// <summary>
/// Reads a price or solar forecast from the JSON that Home Assistant integrations and tariff APIs publish
/// (the README's "Planning by price" lists them): a list of slots <c>{start, end|duration, price}</c> under
/// any of the usual key names, Nordpool's <c>raw_today</c>/<c>raw_tomorrow</c>, Tibber's
/// <c>today</c>/<c>tomorrow</c>, Forecast.Solar's <c>watts</c> map, Solcast's <c>forecasts</c>, wrapped in
/// any object (a Home Assistant state with <c>attributes</c>, an API's <c>data</c> or <c>result</c>).
/// Pure: a payload either becomes sorted, non-overlapping slots or one specific error.
/// </summary>
public static partial class ForecastParser
{
    public const int MaxPayloadLength = 1_000_000;
    public const int MaxSlots = 5000;
    private const int MaxDepth = 8;

    internal static readonly string[] StartKeys =
        ["start", "startsAt", "starts_at", "start_time", "startTime", "from", "valid_from", "start_timestamp", "period_start", "datetime", "time", "timestamp"];
    internal static readonly string[] EndKeys =
        ["end", "endsAt", "ends_at", "end_time", "endTime", "till", "to", "valid_to", "end_timestamp", "period_end"];
    internal static readonly string[] DurationKeys = ["duration", "period"];

    /// <summary>Price keys in order of preference, with the factor to a price per kWh.</summary>
    private static readonly (string Key, double Factor)[] PriceKeys =
    [
        ("price", 1), ("total", 1), ("value_inc_vat", 1), ("price_per_kwh", 1), ("value", 1), ("marketprice", 1),
        ("price_eur_per_mwh", 0.001), ("price_ct_per_kwh", 0.01),
    ];

    /// <summary>Solar keys in order of preference: a power (factor to W) or an energy in the slot (factor to Wh).</summary>
    private static readonly (string Key, double Factor, bool Energy)[] SolarKeys =
    [
        ("watts", 1, false), ("power", 1, false), ("pv_estimate", 1000, false), ("value", 1, false),
        ("watt_hours", 1, true), ("wh", 1, true), ("energy_kwh", 1000, true), ("kwh", 1000, true),
    ];

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex HasOffset();

    /// <summary>Parses <paramref name="payload"/>; timestamps without an offset are local times in <paramref name="zone"/>.</summary>
    public static ForecastParseResult Parse(string payload, ForecastKind kind, TimeZoneInfo zone)
    {
        if (payload.Length > MaxPayloadLength)
            return ForecastParseResult.Failure($"Forecast too long ({payload.Length} characters, at most {MaxPayloadLength})");
        if (payload.Trim().Length == 0)
            return ForecastParseResult.Failure("Forecast is empty");
        try
        {
            using var doc = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 32 });
            var items = FindSlots(doc.RootElement, 0);
            if (items is null)
                return ForecastParseResult.Failure(
                    $"No forecast slots found: expected a list of {{start, end or duration, {(kind == ForecastKind.Price ? "price" : "watts")}}}, raw_today/raw_tomorrow, or a map of time → watts");
            if (items.Count > MaxSlots)
                return ForecastParseResult.Failure($"Forecast has {items.Count} slots, at most {MaxSlots}");
            return Build(items, kind, zone);
        }
        catch (JsonException ex)
        {
            return ForecastParseResult.Failure($"Forecast is not valid JSON: {JsonErrorText.Of(ex)}");
        }
    }

    /// <summary>A slot as found, before its end is known for sure.</summary>
    private sealed record RawSlot(int Index, DateTimeOffset? Start, DateTimeOffset? End, TimeSpan? Duration, double? Value, bool IsEnergy);

    private sealed class RawItems : List<Func<TimeZoneInfo, ForecastKind, RawSlot>>;

    private static RawItems? FindSlots(JsonElement e, int depth)
    {
        if (depth > MaxDepth) return null;
        if (e.ValueKind == JsonValueKind.Array)
        {
            var elements = e.EnumerateArray().ToList();
            if (elements.Count > 0 && elements.All(x => x.ValueKind == JsonValueKind.Object) && elements.Any(IsSlotObject))
            {
                var items = new RawItems();
                foreach (var x in elements) items.Add(SlotFrom(x.Clone(), items.Count + 1));
                return items;
            }
            foreach (var x in elements)
                if (FindSlots(x, depth + 1) is { } inner) return inner;
            return null;
        }
        if (e.ValueKind != JsonValueKind.Object) return null;
        // Nordpool (raw_today/raw_tomorrow) and Tibber (today/tomorrow): two lists that make one forecast.
        foreach (var (first, second) in new[] { ("raw_today", "raw_tomorrow"), ("today", "tomorrow") })
        {
            var a = Property(e, first);
            var b = Property(e, second);
            if (a is { ValueKind: JsonValueKind.Array } || b is { ValueKind: JsonValueKind.Array })
            {
                var items = new RawItems();
                foreach (var list in new[] { a, b })
                {
                    if (list is not { ValueKind: JsonValueKind.Array } l) continue;
                    foreach (var x in l.EnumerateArray())
                        if (x.ValueKind == JsonValueKind.Object) items.Add(SlotFrom(x.Clone(), items.Count + 1));
                }
                return items;
            }
        }
        if (Property(e, "watts") is { ValueKind: JsonValueKind.Object } watts && IsTimeMap(watts)) return MapSlots(watts);
        if (IsTimeMap(e)) return MapSlots(e);
        foreach (var p in e.EnumerateObject())
            if (FindSlots(p.Value, depth + 1) is { } inner) return inner;
        return null;
    }

    private static bool IsSlotObject(JsonElement x)
        => x.ValueKind == JsonValueKind.Object && (Find(x, StartKeys) is not null || Find(x, EndKeys) is not null);

    /// <summary>An object whose every key is a timestamp and every value a number (Forecast.Solar's <c>watts</c>).</summary>
    private static bool IsTimeMap(JsonElement e)
    {
        var any = false;
        foreach (var p in e.EnumerateObject())
        {
            if (p.Value.ValueKind is not (JsonValueKind.Number or JsonValueKind.Null)) return false;
            if (!DateTime.TryParse(p.Name, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) return false;
            any = true;
        }
        return any;
    }

    private static RawItems MapSlots(JsonElement map)
    {
        var items = new RawItems();
        foreach (var p in map.EnumerateObject())
        {
            var index = items.Count + 1;
            var name = p.Name;
            double? value = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : null;
            items.Add((zone, _) => new RawSlot(index, ParseTime(name, zone), null, null, value, false));
        }
        return items;
    }

    private static Func<TimeZoneInfo, ForecastKind, RawSlot> SlotFrom(JsonElement x, int index) => (zone, kind) =>
    {
        var startKey = Find(x, StartKeys);
        var endKey = Find(x, EndKeys);
        var durationKey = Find(x, DurationKeys);
        var start = startKey is { } s ? TimeOf(x, s, index, zone) : null;
        var end = endKey is { } en ? TimeOf(x, en, index, zone) : null;
        TimeSpan? duration = durationKey is { } d ? DurationOf(x.GetProperty(d), index) : null;
        var (value, energy) = kind == ForecastKind.Price ? PriceOf(x, index) : SolarOf(x, index);
        return new RawSlot(index, start, end, duration, value, energy);
    };

    private static (double?, bool) PriceOf(JsonElement x, int index)
    {
        foreach (var (key, factor) in PriceKeys)
        {
            if (Property(x, key) is not { } v) continue;
            var unitFactor = Property(x, "unit") is { ValueKind: JsonValueKind.String } unit
                && unit.GetString()!.Contains("MWh", StringComparison.OrdinalIgnoreCase) ? 0.001 : 1;
            return (NumberOf(v, key, index) * factor * unitFactor, false);
        }
        throw new FormatException($"slot {index} has no price (one of {string.Join(", ", PriceKeys.Select(k => k.Key))})");
    }

    private static (double?, bool) SolarOf(JsonElement x, int index)
    {
        foreach (var (key, factor, energy) in SolarKeys)
        {
            if (Property(x, key) is not { } v) continue;
            var n = NumberOf(v, key, index) * factor;
            if (n < 0) throw new FormatException($"slot {index}: solar '{key}' must not be negative, got {n:0.##}");
            return (n, energy);
        }
        throw new FormatException($"slot {index} has no solar value (one of {string.Join(", ", SolarKeys.Select(k => k.Key))})");
    }

    private static double? NumberOf(JsonElement v, string key, int index)
    {
        if (v.ValueKind == JsonValueKind.Null) return null; // Nordpool's "not known yet"
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var n) && double.IsFinite(n)) return n;
        if (v.ValueKind == JsonValueKind.String
            && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed))
            return parsed;
        throw new FormatException($"slot {index}: '{key}' must be a number, got {Short(v.GetRawText())}");
    }

    private static DateTimeOffset? TimeOf(JsonElement x, string key, int index, TimeZoneInfo zone)
    {
        var v = x.GetProperty(key);
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var epoch))
            // aWATTar sends epoch milliseconds; anything this large cannot be seconds.
            return epoch > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(epoch) : DateTimeOffset.FromUnixTimeSeconds(epoch);
        if (v.ValueKind == JsonValueKind.String && ParseTime(v.GetString()!, zone) is { } t) return t;
        throw new FormatException($"slot {index}: '{key}' must be a timestamp like 2026-04-15T13:00:00+02:00, got {Short(v.GetRawText())}");
    }

    private static TimeSpan DurationOf(JsonElement v, int index)
    {
        TimeSpan? d = null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var minutes)) d = TimeSpan.FromMinutes(minutes);
        else if (v.ValueKind == JsonValueKind.String)
        {
            var text = v.GetString()!;
            if (text.StartsWith('P'))
            {
                try { d = XmlConvert.ToTimeSpan(text); }
                catch (FormatException) { }
            }
            else if (Durations.TryParse(text, out var parsed)) d = parsed;
        }
        if (d is { } ok && ok > TimeSpan.Zero && ok <= TimeSpan.FromDays(2)) return ok;
        throw new FormatException($"slot {index}: duration must be minutes, PT15M or 15m, got {Short(v.GetRawText())}");
    }

    /// <summary>An ISO timestamp; without an offset it is a local time in <paramref name="zone"/>.</summary>
    internal static DateTimeOffset? ParseTime(string text, TimeZoneInfo zone)
    {
        var trimmed = text.Trim();
        if (HasOffset().IsMatch(trimmed))
            return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset) ? withOffset : null;
        if (!DateTime.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        return LocalTimes.At(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
    }

    private static ForecastParseResult Build(RawItems items, ForecastKind kind, TimeZoneInfo zone)
    {
        List<RawSlot> raw;
        try
        {
            raw = items.Select(i => i(zone, kind)).ToList();
        }
        catch (FormatException ex)
        {
            return ForecastParseResult.Failure("Forecast " + ex.Message);
        }
        foreach (var r in raw)
        {
            if (r.Start is null && (r.End is null || r.Duration is null))
                return ForecastParseResult.Failure($"Forecast slot {r.Index} has no start (one of {string.Join(", ", StartKeys)})");
        }
        var sorted = raw.Select(r => r with { Start = r.Start ?? r.End!.Value - r.Duration!.Value }).OrderBy(r => r.Start).ToList();
        var slots = new List<ForecastSlot>(sorted.Count);
        for (var i = 0; i < sorted.Count; i++)
        {
            var r = sorted[i];
            var start = r.Start!.Value;
            // Without an end or a duration a slot lasts until the next one starts (the last as long as the one before; alone, 1 h).
            var end = r.End ?? (r.Duration is { } d ? start + d
                : i + 1 < sorted.Count ? sorted[i + 1].Start!.Value
                : i > 0 ? start + (start - sorted[i - 1].Start!.Value) : start.AddHours(1));
            if (end <= start)
                return ForecastParseResult.Failure($"Forecast slot {r.Index} ends ({end:O}) before it starts ({start:O})");
            if (slots.Count > 0 && start < slots[^1].End)
                return ForecastParseResult.Failure($"Forecast slots overlap at {start:O}");
            if (r.Value is not { } value) continue; // not known yet (Nordpool's null)
            if (r.IsEnergy) value /= (end - start).TotalHours; // Wh in the slot → average W
            slots.Add(new ForecastSlot(start, end, value));
        }
        if (slots.Count == 0) return ForecastParseResult.Failure("Forecast has no slots with a value");
        return ForecastParseResult.Success(slots);
    }

    private static string? Find(JsonElement x, string[] keys)
    {
        foreach (var key in keys)
            foreach (var p in x.EnumerateObject())
                if (p.Name.Equals(key, StringComparison.OrdinalIgnoreCase)) return p.Name;
        return null;
    }

    private static JsonElement? Property(JsonElement x, string key)
    {
        foreach (var p in x.EnumerateObject())
            if (p.Name.Equals(key, StringComparison.OrdinalIgnoreCase)) return p.Value;
        return null;
    }

    private static string Short(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

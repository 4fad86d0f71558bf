using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BmwWallbox.Core;

/// <summary>
/// A plan target as people and Home Assistant write it: <c>30kWh@07:00</c>, <c>80%@7:30</c>, or JSON
/// <c>{"energy_kwh": 30, "by": "07:00"}</c> / <c>{"soc": 80, "by": "07:00"}</c>. JSON with only some keys
/// changes only those keys of the current target (Home Assistant's number and text entities each send one).
/// <c>clear</c>, <c>off</c>, <c>none</c> or an empty text clear the target.
/// </summary>
public static partial class PlanTargetText
{
    public const string Expected = "30kWh@07:00, 80%@07:00, {\"energy_kwh\": 30, \"by\": \"07:00\"} or an empty payload to clear";
    /// <summary>The time used when a partial update sets an amount and no target had a time yet.</summary>
    public static readonly TimeOnly DefaultBy = new(7, 0);
    public const double MaxEnergyKwh = 1000;

    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*(kwh|%)\s*(?:@|by)\s*(\S+)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Compact();

    /// <summary>Parses <paramref name="text"/>; <paramref name="target"/> is null when the text clears the target.</summary>
    public static bool TryParse(string text, PlanTarget? current, out PlanTarget? target, out string error)
    {
        target = null;
        error = "";
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || trimmed.Equals("clear", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("off", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
            return true;
        if (trimmed.StartsWith('{')) return TryParseJson(trimmed, current, out target, out error);
        var m = Compact().Match(trimmed);
        if (!m.Success)
        {
            error = $"Plan must look like {Expected}, got '{Shorten(trimmed)}'";
            return false;
        }
        var amount = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (!TryParseTime(m.Groups[3].Value, out var by, out error)) return false;
        target = m.Groups[2].Value == "%" ? new PlanTarget(null, amount, by) : new PlanTarget(amount, null, by);
        return Check(target, out error);
    }

    /// <summary>A local time of day, <c>HH:MM</c> (24 h).</summary>
    public static bool TryParseTime(string text, out TimeOnly time, out string error)
    {
        error = "";
        if (TimeOnly.TryParseExact(text.Trim(), ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
            return true;
        error = $"'by' must be a time of day like 07:00, got '{Shorten(text)}'";
        return false;
    }

    /// <summary>The problems of a target, worded for a user; empty when it is usable.</summary>
    public static bool Check(PlanTarget target, out string error)
    {
        error = "";
        if (target.EnergyKwh is { } kwh && !(kwh > 0 && kwh <= MaxEnergyKwh))
            error = $"energy_kwh must be more than 0 and at most {MaxEnergyKwh:0}, got {kwh:0.##}";
        else if (target.SocPercent is { } soc && !(soc > 0 && soc <= 100))
            error = $"soc must be more than 0 and at most 100 %, got {soc:0.##}";
        else if (target.EnergyKwh is null == target.SocPercent is null)
            error = "A plan needs exactly one of energy_kwh or soc";
        return error.Length == 0;
    }

    private static bool TryParseJson(string text, PlanTarget? current, out PlanTarget? target, out string error)
    {
        target = null;
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            double? energy = current?.EnergyKwh, soc = current?.SocPercent;
            var by = current?.By ?? DefaultBy;
            var any = false;
            foreach (var p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "energy_kwh" or "energy":
                        if (!TryNumber(p.Value, p.Name, out var e, out error)) return false;
                        (energy, soc, any) = (e, null, true);
                        break;
                    case "soc":
                        if (!TryNumber(p.Value, p.Name, out var s, out error)) return false;
                        (soc, energy, any) = (s, null, true);
                        break;
                    case "by":
                        if (p.Value.ValueKind != JsonValueKind.String)
                        {
                            error = "'by' must be a string like \"07:00\"";
                            return false;
                        }
                        if (!TryParseTime(p.Value.GetString()!, out by, out error)) return false;
                        any = true;
                        break;
                    default:
                        error = $"Unknown plan key '{Shorten(p.Name)}'; use energy_kwh, soc and by";
                        return false;
                }
            }
            if (!any)
            {
                error = $"Plan JSON has none of energy_kwh, soc, by; expected {Expected}";
                return false;
            }
            if (energy is null && soc is null)
            {
                error = "A plan needs energy_kwh or soc (this station has no target to change the time of)";
                return false;
            }
            target = new PlanTarget(energy, soc, by);
            return Check(target, out error);
        }
        catch (JsonException ex)
        {
            error = $"Plan is not valid JSON: {JsonErrorText.Of(ex)}";
            return false;
        }
        catch (InvalidOperationException)
        {
            error = $"Plan JSON must be an object, expected {Expected}";
            return false;
        }
    }

    private static bool TryNumber(JsonElement value, string name, out double number, out string error)
    {
        error = "";
        number = 0;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out number)) return true;
        if (value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number)) return true;
        error = $"'{name}' must be a number, got {Shorten(value.GetRawText())}";
        return false;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

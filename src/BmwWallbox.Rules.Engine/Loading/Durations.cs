using System.Globalization;
using System.Text.RegularExpressions;

namespace BmwWallbox.Rules.Engine;

/// <summary>Durations as written in rules: 500ms, 30s, 2m, 1h30m, 1d.</summary>
internal static partial class Durations
{
    public const string Expected = "a duration like 30s, 2m, 1h30m or 500ms";

    [GeneratedRegex(@"^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d))+$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d)")]
    private static partial Regex Part();

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var trimmed = text.Trim().Replace(" ", "", StringComparison.Ordinal);
        if (!Pattern().IsMatch(trimmed)) return false;
        foreach (Match m in Part().Matches(trimmed))
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            value += m.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
        }
        return true;
    }

    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        if (value.TotalSeconds < 1) return $"{value.TotalMilliseconds:0}ms";
        var text = "";
        if (value.Days > 0) text += $"{value.Days}d";
        if (value.Hours > 0) text += $"{value.Hours}h";
        if (value.Minutes > 0) text += $"{value.Minutes}m";
        if (value.Seconds > 0 || value.Milliseconds > 0)
            text += value.Milliseconds > 0 ? $"{value.Seconds + value.Milliseconds / 1000.0:0.###}s" : $"{value.Seconds}s";
        return text;
    }

    public static string ForSuffix(TimeSpan value) => value > TimeSpan.Zero ? $" for {Format(value)}" : "";
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace BmwWallbox.Core;

/// <summary>
/// Durations as people write them, the same in config.yaml, rule files and command lines:
/// <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h30m</c> (or <c>1h 30m</c>), <c>1d</c>, <c>00:00:15</c>,
/// or a plain number of seconds.
/// </summary>
public static partial class Durations
{
    public const string Expected = "a duration like 30s, 2m, 1h30m or 500ms (a plain number is seconds)";

    [GeneratedRegex(@"^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d))+$")]
    private static partial Regex Units();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d)")]
    private static partial Regex Unit();

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return false;
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds < 0 || !double.IsFinite(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds) return false;
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }
        if (trimmed.Contains(':'))
            return TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
        var compact = trimmed.Replace(" ", "", StringComparison.Ordinal);
        if (!Units().IsMatch(compact)) return false;
        try
        {
            foreach (Match m in Unit().Matches(compact))
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
        }
        catch (OverflowException)
        {
            return false;
        }
        return true;
    }

    /// <summary>The compact form, e.g. <c>1h30m</c>, <c>2.5s</c>, <c>500ms</c>.</summary>
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

    /// <summary>" for 2m", or nothing for no time.</summary>
    public static string ForSuffix(TimeSpan value) => value > TimeSpan.Zero ? $" for {Format(value)}" : "";
}

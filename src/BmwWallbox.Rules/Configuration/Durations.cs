using System.Globalization;
using System.Text.RegularExpressions;

namespace BmwWallbox.Rules.Configuration;

/// <summary>Durations as people write them in YAML: "15s", "2m", "1h30m", "500ms", "00:00:15", or a plain number of seconds.</summary>
public static partial class Durations
{
    [GeneratedRegex(@"^(?:(?<d>\d+(?:\.\d+)?)d)?(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m(?!s))?(?:(?<s>\d+(?:\.\d+)?)s)?(?:(?<ms>\d+)ms)?$")]
    private static partial Regex Compact();

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim();
        if (text.Length == 0) return false;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds < 0 || !double.IsFinite(seconds)) return false;
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }
        if (text.Contains(':')) return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
        var m = Compact().Match(text);
        if (!m.Success) return false;
        double Part(string name) => m.Groups[name].Success ? double.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        value = TimeSpan.FromDays(Part("d")) + TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m"))
              + TimeSpan.FromSeconds(Part("s")) + TimeSpan.FromMilliseconds(Part("ms"));
        return true;
    }

    public static string Format(TimeSpan t) =>
        t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:0}ms"
        : t.TotalSeconds % 3600 == 0 ? $"{t.TotalHours:0}h"
        : t.TotalSeconds % 60 == 0 ? $"{t.TotalMinutes:0}m"
        : $"{t.TotalSeconds:0.###}s";
}

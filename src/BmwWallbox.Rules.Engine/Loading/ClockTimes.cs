using System.Globalization;

namespace BmwWallbox.Rules.Engine.Loading;

/// <summary>Times of day ("17:00", "06:30:15") and weekday names ("mon", "monday", "mon-fri").</summary>
internal static class ClockTimes
{
    public const string ExpectedTime = "a time of day like \"17:00\" or \"06:30:15\"";
    public const string ExpectedWeekday = "weekday names like mon, tue, ... sun, or a range like mon-fri";

    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static bool TryParseTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text.Trim(), ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    /// <summary>Adds the days named by <paramref name="text"/> (a day or a range) to <paramref name="days"/>.</summary>
    public static bool TryAddWeekdays(string text, ISet<DayOfWeek> days)
    {
        var parts = text.Trim().ToLowerInvariant().Split('-', 2);
        if (!TryDay(parts[0], out var first)) return false;
        if (parts.Length == 1) { days.Add(first); return true; }
        if (!TryDay(parts[1], out var last)) return false;
        for (var d = first; ; d = (DayOfWeek)(((int)d + 1) % 7))
        {
            days.Add(d);
            if (d == last) return true;
        }
    }

    private static bool TryDay(string text, out DayOfWeek day)
    {
        var index = text.Length >= 3 ? Array.IndexOf(Days, text[..3]) : -1;
        var valid = index >= 0 && ((DayOfWeek)index).ToString().StartsWith(text, StringComparison.OrdinalIgnoreCase);
        day = valid ? (DayOfWeek)index : default;
        return valid;
    }
}

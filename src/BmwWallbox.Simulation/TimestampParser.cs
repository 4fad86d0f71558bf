using System.Globalization;

namespace BmwWallbox.Simulation;

/// <summary>
/// Parses the timestamp cell of a signal CSV: ISO-8601 with an offset or Z, naive local times
/// (ISO or German "dd.MM.yyyy HH:mm") in a given zone, or unix seconds (milliseconds when 12+ digits).
/// </summary>
internal static class TimestampParser
{
    public const string Expected =
        "an ISO-8601 time such as 2026-06-21T12:00:00+02:00 (or ...Z, or a local time without offset), "
        + "a German time such as 21.06.2026 12:00, or unix seconds";

    private static readonly string[] WithOffset =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mmK",
    ];

    private static readonly string[] Naive =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm",
        "dd.MM.yyyy HH:mm:ss", "dd.MM.yyyy HH:mm", "d.M.yyyy H:mm:ss", "d.M.yyyy H:mm",
    ];

    /// <summary>
    /// Null when the text is no timestamp. <paramref name="previous"/> picks the right instant for
    /// a naive time in the autumn overlap (the earlier one unless that would not be after it).
    /// Throws <see cref="FormatException"/> for a naive time that does not exist (spring-forward gap).
    /// </summary>
    public static DateTimeOffset? Parse(ReadOnlySpan<char> text, TimeZoneInfo zone, DateTimeOffset? previous)
    {
        if (text.Length == 0) return null;
        if (TryParseUtcSeconds(text, out var utc)) return utc;
        if (IsUnixTime(text)) return ParseUnix(text);
        if (HasOffset(text))
            return DateTimeOffset.TryParseExact(text, WithOffset, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
                ? instant : null;
        if (!DateTime.TryParseExact(text, Naive, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return null;
        return FromLocal(local, zone, previous);
    }

    private static DateTimeOffset FromLocal(DateTime local, TimeZoneInfo zone, DateTimeOffset? previous)
    {
        if (zone.IsInvalidTime(local))
            throw new FormatException($"local time {local:yyyy-MM-dd HH:mm:ss} does not exist in {zone.Id} (the clocks jump forward then)");
        if (!zone.IsAmbiguousTime(local))
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        var offsets = zone.GetAmbiguousTimeOffsets(local);
        var first = new DateTimeOffset(local, offsets.Max());
        return previous is { } p && first <= p ? new DateTimeOffset(local, offsets.Min()) : first;
    }

    /// <summary>
    /// The common case, 2026-06-21T10:00:00Z, without the format list (a year of minutes is 525,600 of them);
    /// anything else, or a field out of range, is left to the general parse.
    /// </summary>
    private static bool TryParseUtcSeconds(ReadOnlySpan<char> t, out DateTimeOffset instant)
    {
        instant = default;
        if (t.Length != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != 'Z') return false;
        if (!(Digits(t[..4], out var year) && Digits(t[5..7], out var month) && Digits(t[8..10], out var day)
            && Digits(t[11..13], out var hour) && Digits(t[14..16], out var minute) && Digits(t[17..19], out var second))) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
        instant = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    private static bool IsUnixTime(ReadOnlySpan<char> text)
    {
        var digits = text[0] == '-' ? text[1..] : text;
        var dot = digits.IndexOf('.');
        var whole = dot < 0 ? digits : digits[..dot];
        return whole.Length > 0 && !whole.ContainsAnyExceptInRange('0', '9')
            && (dot < 0 || !digits[(dot + 1)..].ContainsAnyExceptInRange('0', '9'));
    }

    private static DateTimeOffset? ParseUnix(ReadOnlySpan<char> text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return null;
        // 12 or more integer digits cannot be seconds (year 5138+): they are milliseconds.
        var ms = Math.Abs(value) >= 1e11 ? value : value * 1000;
        if (ms < -62_135_596_800_000d || ms > 253_402_300_799_000d) return null;
        return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(ms));
    }

    /// <summary>True for "...Z" and for a +hh:mm / -hh:mm after the time of day.</summary>
    private static bool HasOffset(ReadOnlySpan<char> text)
    {
        if (text[^1] is 'Z' or 'z') return true;
        var timeStart = text.IndexOfAny('T', ' ');
        return timeStart > 0 && text[timeStart..].IndexOfAny('+', '-') > 0;
    }
}

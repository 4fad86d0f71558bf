namespace BmwWallbox.Planning;

/// <summary>Local wall-clock times in a time zone, across daylight-saving changes.</summary>
internal static class LocalTimes
{
    /// <summary>
    /// The instant of a local time in <paramref name="zone"/>. A time skipped by the spring change (02:30)
    /// is taken as the same distance after the change; a time that occurs twice (autumn) as its first occurrence.
    /// </summary>
    public static DateTimeOffset At(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var before = zone.GetUtcOffset(local.AddHours(-3));
            return new DateTimeOffset(local, before).ToOffset(zone.GetUtcOffset(local.AddHours(3)));
        }
        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            return new DateTimeOffset(local, offsets.Max());
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The next time the wall clock shows <paramref name="by"/> after <paramref name="now"/> (today or tomorrow).</summary>
    public static DateTimeOffset NextOccurrence(TimeOnly by, DateTimeOffset now, TimeZoneInfo zone)
    {
        var localNow = TimeZoneInfo.ConvertTime(now, zone);
        var today = At(localNow.Date.Add(by.ToTimeSpan()), zone);
        return today > now ? today : At(localNow.Date.AddDays(1).Add(by.ToTimeSpan()), zone);
    }
}

namespace BmwWallbox.Simulation;

/// <summary>Turns wall-clock times of a time zone into instants, DST gaps and overlaps included.</summary>
internal static class LocalTimes
{
    /// <summary>
    /// The instant of a local wall-clock time. A time inside the spring-forward gap does not
    /// exist; it is moved forward by an hour (02:30 → 03:30 in Berlin), as a clock would be.
    /// A time inside the autumn overlap happens twice; the first (summer-time) instant is used.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
            local = local.AddHours(1);
        if (zone.IsAmbiguousTime(local))
            return new DateTimeOffset(local, zone.GetAmbiguousTimeOffsets(local).Max());
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The local calendar date of an instant in <paramref name="zone"/>.</summary>
    public static DateOnly DateOf(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>A time as "yyyy-MM-dd HH:mm" in <paramref name="zone"/>.</summary>
    public static string Format(DateTimeOffset instant, TimeZoneInfo zone, string format = "yyyy-MM-dd HH:mm") =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}

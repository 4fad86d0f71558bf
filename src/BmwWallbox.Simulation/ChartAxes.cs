namespace BmwWallbox.Simulation;

/// <summary>Axis ranges and tick positions that read well.</summary>
internal static class ChartAxes
{
    /// <summary>The smallest 1, 2 or 5 × 10^n step that splits <paramref name="max"/> into at most <paramref name="ticks"/> parts.</summary>
    public static double NiceStep(double max, int ticks)
    {
        if (max <= 0) return 1;
        var raw = max / ticks;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (var factor in (ReadOnlySpan<double>)[1, 2, 5, 10])
            if (factor * magnitude >= raw) return factor * magnitude;
        return 10 * magnitude;
    }

    /// <summary>Local-time ticks between two instants, at most about 12, with their labels.</summary>
    public static IReadOnlyList<(DateTimeOffset At, string Label)> TimeTicks(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone)
    {
        var span = to - from;
        var hours = new[] { 1, 2, 3, 6, 12 }.FirstOrDefault(h => span.TotalHours / h <= 12);
        var days = new[] { 1, 2, 7, 14 }.FirstOrDefault(d => span.TotalDays / d <= 12);
        var start = TimeZoneInfo.ConvertTime(from, zone).DateTime;
        var ticks = new List<(DateTimeOffset, string)>();

        void AddTicks(DateTime first, Func<DateTime, DateTime> next, string format)
        {
            for (var local = first; ; local = next(local))
            {
                var at = LocalTimes.ToInstant(local, zone);
                if (at > to) break;
                if (at >= from) ticks.Add((at, local.ToString(format, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        if (hours > 0)
            AddTicks(start.Date.AddHours(start.Hour - start.Hour % hours), t => t.AddHours(hours), "HH:mm");
        else if (days > 0)
            AddTicks(start.Date, t => t.AddDays(days), "yyyy-MM-dd");
        else
        {
            var months = new[] { 1, 2, 3, 6, 12 }.First(m => span.TotalDays / 30.5 / m <= 12 || m == 12);
            AddTicks(new DateTime(start.Year, start.Month, 1), t => t.AddMonths(months), "yyyy-MM");
        }
        return ticks;
    }
}

using BmwWallbox.Core;

namespace BmwWallbox.Dashboard;

/// <summary>The sessions that started in one calendar month (local time): what the history page sums up.</summary>
/// <param name="SolarShare">Solar kWh / kWh of the sessions that know their solar part; null when none does.</param>
/// <param name="Cost">Sum over the sessions with a cost; null when none has one.</param>
internal sealed record MonthTotals(string Month, int Sessions, double EnergyKWh, double? SolarKWh, double? SolarShare, double? Cost, TimeSpan ChargingTime)
{
    /// <summary>Newest month first.</summary>
    public static IReadOnlyList<MonthTotals> Of(IEnumerable<ChargingSession> sessions, TimeZoneInfo zone) =>
        [.. sessions
            .GroupBy(s => TimeZoneInfo.ConvertTime(s.StartedAt, zone).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))
            .OrderByDescending(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var withSolar = g.Where(s => s.SolarKWh is not null).ToList();
                var solar = withSolar.Count > 0 ? withSolar.Sum(s => s.SolarKWh!.Value) : (double?)null;
                var solarBase = withSolar.Sum(s => s.EnergyKWh);
                var costs = g.Where(s => s.Cost is not null).ToList();
                return new MonthTotals(g.Key, g.Count(), g.Sum(s => s.EnergyKWh), solar,
                    solar is { } kwh && solarBase > 0 ? kwh / solarBase : null,
                    costs.Count > 0 ? costs.Sum(s => s.Cost!.Value) : null,
                    TimeSpan.FromTicks(g.Sum(s => s.ChargingTime.Ticks)));
            })];
}

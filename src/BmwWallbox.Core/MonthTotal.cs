using System.Globalization;

namespace BmwWallbox.Core;

/// <summary>
/// The sessions that started in one calendar month (in the given zone), added up: what <c>bmw-rules sessions</c>
/// and the dashboard's history page show. Solar share is the month's solar kWh over the kWh of sessions that
/// have a solar figure; cost sums the sessions that have one.
/// </summary>
/// <param name="Month">"yyyy-MM".</param>
public sealed record MonthTotal(string Month, int Sessions, double EnergyKWh, double? SolarKWh, double? SolarShare, double? Cost, string? Currency, TimeSpan ChargingTime)
{
    /// <summary>Oldest month first.</summary>
    public static IReadOnlyList<MonthTotal> Of(IEnumerable<ChargingSession> sessions, TimeZoneInfo zone) =>
        [.. sessions
            .GroupBy(s => TimeZoneInfo.ConvertTime(s.StartedAt, zone).ToString("yyyy-MM", CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var withSolar = g.Where(s => s.SolarKWh is not null).ToList();
                var solar = withSolar.Count > 0 ? withSolar.Sum(s => s.SolarKWh!.Value) : (double?)null;
                var solarBase = withSolar.Sum(s => s.EnergyKWh);
                var costed = g.Where(s => s.Cost is not null).ToList();
                return new MonthTotal(g.Key, g.Count(), g.Sum(s => s.EnergyKWh), solar,
                    solar is { } kwh && solarBase > 0 ? kwh / solarBase : null,
                    costed.Count > 0 ? costed.Sum(s => s.Cost!.Value) : null,
                    costed.Select(s => s.Currency).FirstOrDefault(c => c is not null),
                    TimeSpan.FromTicks(g.Sum(s => s.ChargingTime.Ticks)));
            })];
}

using BmwWallbox.Core;

namespace BmwWallbox.History;

/// <summary>
/// The sessions that started in one calendar month (in the given zone), added up. Solar share is the
/// month's solar kWh over the kWh of sessions that have a solar figure; cost sums the sessions that have one.
/// </summary>
public sealed record MonthTotal(int Year, int Month, int Sessions, double EnergyKWh, double? SolarKWh, double? SolarShare, double? Cost, string? Currency)
{
    public string Label => $"{Year:0000}-{Month:00}";

    public static IReadOnlyList<MonthTotal> Of(IEnumerable<ChargingSession> sessions, TimeZoneInfo zone) =>
        sessions
            .GroupBy(s => { var local = TimeZoneInfo.ConvertTime(s.StartedAt, zone); return (local.Year, local.Month); })
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var withSolar = g.Where(s => s.SolarKWh is not null).ToList();
                var solar = withSolar.Count > 0 ? withSolar.Sum(s => s.SolarKWh!.Value) : (double?)null;
                var solarBase = withSolar.Sum(s => s.EnergyKWh);
                var costed = g.Where(s => s.Cost is not null).ToList();
                return new MonthTotal(g.Key.Year, g.Key.Month, g.Count(), g.Sum(s => s.EnergyKWh), solar,
                    solar is { } x && solarBase > 0 ? x / solarBase : null,
                    costed.Count > 0 ? costed.Sum(s => s.Cost!.Value) : null,
                    costed.Select(s => s.Currency).FirstOrDefault(c => c is not null));
            })
            .ToList();
}

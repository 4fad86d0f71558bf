using System.Globalization;
using BmwWallbox.Core;

namespace BmwWallbox.History;

/// <summary>Sessions as CSV, one line each, times in the given zone: <c>bmw-rules sessions --csv</c> and <c>simulate</c>'s sessions.csv.</summary>
public static class SessionCsv
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static readonly IReadOnlyList<string> Columns =
    [
        "id", "station", "started_at", "ended_at", "end_reason", "transaction_id", "id_token", "energy_kwh", "solar_kwh", "grid_kwh",
        "solar_share", "cost", "currency", "max_power_w", "avg_power_w", "charging_min", "paused_min", "meter_start_wh", "meter_stop_wh", "limit_sources",
    ];

    public static void Write(IEnumerable<ChargingSession> sessions, TimeZoneInfo zone, TextWriter output)
    {
        output.WriteLine(string.Join(',', Columns));
        foreach (var s in sessions)
        {
            string?[] cells =
            [
                s.Id.ToString(Inv), s.StationName, Time(s.StartedAt, zone), s.EndedAt is { } end ? Time(end, zone) : null, s.EndReason,
                s.TransactionId, s.IdToken, Number(s.EnergyKWh), Number(s.SolarKWh), Number(s.GridKWh), Number(s.SolarShare), Number(s.Cost),
                s.Currency, Number(s.MaxPowerW), Number(s.AvgPowerW), Number(s.ChargingTime.TotalMinutes), Number(s.PausedTime.TotalMinutes),
                Number(s.MeterStartWh), Number(s.MeterStopWh), Sources(s),
            ];
            output.WriteLine(string.Join(',', cells.Select(Quote)));
        }
    }

    /// <summary>ISO 8601 with the zone's offset, e.g. 2026-05-03T09:30:00+02:00.</summary>
    public static string Time(DateTimeOffset t, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", Inv);

    private static string? Number(double? v) => v?.ToString("0.####", Inv);

    private static string Sources(ChargingSession s) =>
        string.Join(';', s.LimitSources.Select(l => $"{l.Source}={l.Duration.TotalMinutes.ToString("0.#", Inv)}"));

    private static string Quote(string? cell) =>
        cell is null ? "" : cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}

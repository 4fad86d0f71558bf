using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BmwWallbox.Core;
using BmwWallbox.History;

namespace BmwWallbox.Rules.Cli;

/// <summary>The output formats of <c>bmw-rules sessions</c>: a table with monthly totals, CSV, JSON. Times in the configured zone.</summary>
internal static class SessionReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Table(IReadOnlyList<ChargingSession> sessions, TimeZoneInfo zone, TextWriter output)
    {
        string[] header = ["Start", "Duration", "Station", "kWh", "Solar", "Cost", "Max kW", "Charging", "Paused", "Limit mostly by", "End"];
        var rows = sessions.Select(s => new[]
        {
            Local(s.StartedAt, zone).ToString("yyyy-MM-dd HH:mm", Inv),
            Duration((s.EndedAt ?? s.UpdatedAt ?? s.StartedAt) - s.StartedAt),
            s.StationName,
            s.EnergyKWh.ToString("0.00", Inv),
            s.SolarShare is { } share ? (share * 100).ToString("0", Inv) + " %" : "–",
            s.Cost is { } cost ? $"{cost.ToString("0.00", Inv)} {s.Currency}".TrimEnd() : "–",
            (s.MaxPowerW / 1000).ToString("0.0", Inv),
            Duration(s.ChargingTime),
            Duration(s.PausedTime),
            s.LimitSources.FirstOrDefault()?.Source ?? "–",
            s.EndedAt is null ? "open" : s.EndReason ?? "",
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        bool[] right = [false, true, false, true, true, true, true, true, true, false, false];
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => right[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(header));
        foreach (var row in rows) output.WriteLine(Line(row));
        output.WriteLine();
        foreach (var month in MonthTotal.Of(sessions, zone))
        {
            var text = new StringBuilder($"{month.Month}: {month.Sessions} session{(month.Sessions == 1 ? "" : "s")}, {month.EnergyKWh.ToString("0.00", Inv)} kWh");
            if (month.SolarKWh is { } solar)
                text.Append($", solar {solar.ToString("0.00", Inv)} kWh ({(month.SolarShare ?? 0).ToString("0%", Inv).Replace("%", " %", StringComparison.Ordinal)})");
            if (month.Cost is { } cost) text.Append($", cost {cost.ToString("0.00", Inv)} {month.Currency}".TrimEnd());
            output.WriteLine(text);
        }
    }

    public static void Csv(IReadOnlyList<ChargingSession> sessions, TimeZoneInfo zone, TextWriter output) => SessionCsv.Write(sessions, zone, output);

    public static void Json(IReadOnlyList<ChargingSession> sessions, TimeZoneInfo zone, TextWriter output)
    {
        // JSON nodes, not anonymous objects: the serializer would need reflection for those (no Native AOT).
        var json = new JsonObject
        {
            ["sessions"] = new JsonArray([.. sessions.Select(s => new JsonObject
            {
                ["id"] = s.Id,
                ["station_id"] = s.StationId,
                ["station"] = s.StationName,
                ["started_at"] = Time(s.StartedAt, zone),
                ["ended_at"] = s.EndedAt is { } end ? Time(end, zone) : null,
                ["end_reason"] = s.EndReason,
                ["transaction_id"] = s.TransactionId,
                ["id_token"] = s.IdToken,
                ["energy_kwh"] = Round(s.EnergyKWh),
                ["solar_kwh"] = Round(s.SolarKWh),
                ["grid_kwh"] = Round(s.GridKWh),
                ["solar_share"] = Round(s.SolarShare),
                ["cost"] = Round(s.Cost),
                ["currency"] = s.Currency,
                ["max_power_w"] = Round(s.MaxPowerW),
                ["avg_power_w"] = Round(s.AvgPowerW),
                ["charging_min"] = Round(s.ChargingTime.TotalMinutes),
                ["paused_min"] = Round(s.PausedTime.TotalMinutes),
                ["meter_start_wh"] = s.MeterStartWh,
                ["meter_stop_wh"] = s.MeterStopWh,
                ["limit_sources"] = new JsonArray([.. s.LimitSources.Select(l => new JsonObject { ["source"] = l.Source, ["minutes"] = Round(l.Duration.TotalMinutes) })]),
            })]),
            ["months"] = new JsonArray([.. MonthTotal.Of(sessions, zone).Select(m => new JsonObject
            {
                ["month"] = m.Month, ["sessions"] = m.Sessions, ["energy_kwh"] = Round(m.EnergyKWh), ["solar_kwh"] = Round(m.SolarKWh),
                ["solar_share"] = Round(m.SolarShare), ["cost"] = Round(m.Cost), ["currency"] = m.Currency,
            })]),
        };
        output.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static DateTimeOffset Local(DateTimeOffset t, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(t, zone);

    private static string Time(DateTimeOffset t, TimeZoneInfo zone) => SessionCsv.Time(t, zone);

    private static string Duration(TimeSpan d) => d.TotalHours >= 1 ? $"{(int)d.TotalHours}h{d.Minutes:00}" : $"{d.Minutes}m";

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 4) : null;
}

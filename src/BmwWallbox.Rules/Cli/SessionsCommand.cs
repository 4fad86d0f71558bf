using System.Globalization;
using System.Text;
using BmwWallbox.Core;
using BmwWallbox.History;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Rules.Hosting;

namespace BmwWallbox.Rules.Cli;

/// <summary><c>bmw-rules sessions</c>: the charging history from data_dir/history.db as a table, CSV or JSON.</summary>
internal static class SessionsCommand
{
    public const string Details = """
        Lists the recorded charging sessions (plug-in to unplug), oldest first, with monthly totals.
        Reads data_dir/history.file of config.yaml; works while bmw-rules run is running (an open
        session shows as of its last save, at most 30 s old).
        Dates are days in time_zone: --from 2026-05-01 --to 2026-05-31 is all of May.
        Exit codes: 0 listed (also when nothing was recorded yet), 1 the database cannot be read, 64 bad command line, 78 config unreadable.
        """;

    public static async Task<int> RunAsync(CommandLine line, CancellationToken ct)
    {
        Console.OutputEncoding = Encoding.UTF8;
        return await RunAsync(line, Console.Out, Console.Error, ct);
    }

    internal static async Task<int> RunAsync(CommandLine line, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var loaded = ConfigLoader.Load(line.Config);
        if (loaded.Config is not { } c)
        {
            foreach (var p in loaded.Problems) error.WriteLine(p);
            return ExitCodes.Config;
        }
        if (line.Has("csv") && line.Has("json"))
        {
            error.WriteLine("bmw-rules sessions: choose one of --csv and --json.");
            return ExitCodes.Usage;
        }
        var zone = c.TimeZone.Length > 0 && TimeZoneInfo.TryFindSystemTimeZoneById(c.TimeZone, out var z) ? z : TimeZoneInfo.Local;
        DateTimeOffset? to = null;
        string? dateError = null;
        if (!TryDay(line.Get("from"), zone, out var from, out dateError) || !TryDay(line.Get("to"), zone, out to, out dateError))
        {
            error.WriteLine($"bmw-rules sessions: {dateError}.");
            return ExitCodes.Usage;
        }

        var history = new StoredSessions(RuntimeConfig.HistoryDatabase(c, loaded.Resolve(c.DataDir)));
        if (!history.Exists)
        {
            error.WriteLine($"No charging history yet: {history.DatabasePath} does not exist. 'bmw-rules run' records every session there"
                + (c.History.Enabled ? "." : ", once history.enabled is true in config.yaml."));
            if (line.Has("csv")) SessionReport.Csv([], zone, output);
            else if (line.Has("json")) SessionReport.Json([], zone, output);
            return ExitCodes.Ok;
        }

        IReadOnlyList<ChargingSession> sessions;
        try
        {
            sessions = await history.QueryAsync(new SessionQuery(line.Get("station"), from, to?.AddDays(1)), ct);
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine($"bmw-rules sessions: {e.Message}");
            return ExitCodes.Failure;
        }
        if (line.Has("csv")) SessionReport.Csv(sessions, zone, output);
        else if (line.Has("json")) SessionReport.Json(sessions, zone, output);
        else if (sessions.Count == 0) output.WriteLine($"No sessions{(line.Get("station") is { } s ? $" of station '{s}'" : "")}{(from is null && to is null ? "" : " in that period")}.");
        else SessionReport.Table(sessions, zone, output);
        return ExitCodes.Ok;
    }

    /// <summary>A day (yyyy-MM-dd) as its midnight in <paramref name="zone"/>; empty: no bound.</summary>
    private static bool TryDay(string? text, TimeZoneInfo zone, out DateTimeOffset? day, out string? error)
    {
        day = null;
        error = null;
        if (text is null) return true;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            error = $"'{text}' is not a date; use yyyy-MM-dd, e.g. 2026-05-01";
            return false;
        }
        var midnight = date.ToDateTime(TimeOnly.MinValue);
        day = new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
        return true;
    }
}

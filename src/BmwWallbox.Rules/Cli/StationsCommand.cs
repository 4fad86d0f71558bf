using System.Text;
using BmwWallbox.Ocpp;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Rules.Hosting;

namespace BmwWallbox.Rules.Cli;

/// <summary><c>bmw-rules stations</c>: lists the unknown stations (ocpp.accept_unknown: pending) and approves, rejects or forgets one.</summary>
internal static class StationsCommand
{
    public const string Details = """
        Lists the stations that connected without being configured (ocpp.accept_unknown: pending), from
        data_dir/stations.json, with what they said about themselves. --approve ID serves the station:
        a running bmw-rules run notices the change within seconds and restarts itself in place (every
        connected box reconnects); --reject ID refuses it (HTTP 404) from now on and disconnects it;
        --forget ID removes it (it may ask again). Works while bmw-rules run is running: both read and
        write the same file.
        Exit codes: 0 done, 1 no such station or the file is unreadable, 64 bad command line, 78 config unreadable.
        """;

    public static Task<int> RunAsync(CommandLine line, CancellationToken ct)
    {
        Console.OutputEncoding = Encoding.UTF8;
        return Task.FromResult(Run(line, Console.Out, Console.Error));
    }

    internal static int Run(CommandLine line, TextWriter output, TextWriter error)
    {
        var loaded = ConfigLoader.Load(line.Config);
        if (loaded.Config is not { } c)
        {
            foreach (var p in loaded.Problems) error.WriteLine(p);
            return ExitCodes.Config;
        }
        var actions = new[] { "approve", "reject", "forget" }.Where(a => line.Get(a) is not null).ToList();
        if (actions.Count > 1)
        {
            error.WriteLine("bmw-rules stations: choose one of --approve, --reject and --forget.");
            return ExitCodes.Usage;
        }
        var approvals = new StationApprovals(ApprovedStations.FilePath(loaded.Resolve(c.DataDir)), c.Ocpp.MaxPending);
        try
        {
            if (actions.Count == 1)
            {
                var id = line.Get(actions[0])!;
                var done = actions[0] switch
                {
                    "approve" => approvals.Approve(id),
                    "reject" => approvals.Reject(id),
                    _ => approvals.Forget(id),
                };
                if (!done)
                {
                    error.WriteLine($"bmw-rules stations: no unknown station '{id}' in {approvals.FilePath}; 'bmw-rules stations' lists them.");
                    return ExitCodes.Failure;
                }
                output.WriteLine(actions[0] switch
                {
                    "approve" => $"{id} approved: a running bmw-rules run serves it within seconds, as '{StationNames.FromId(id)}' unless that name is taken (it restarts itself in place; connected boxes reconnect).",
                    "reject" => $"{id} rejected: it gets HTTP 404 from now on.",
                    _ => $"{id} forgotten: if it connects again, it waits for approval again.",
                });
                return ExitCodes.Ok;
            }
            var all = approvals.All;
            if (line.Has("json"))
            {
                output.WriteLine(PendingStationsPublisher.Payload(all));
                return ExitCodes.Ok;
            }
            if (all.Count == 0)
            {
                output.WriteLine(c.Ocpp.KeepsUnknownStations
                    ? "No unknown station has connected yet."
                    : "No unknown stations: ocpp.accept_unknown is reject (unknown stations get HTTP 404).");
                return ExitCodes.Ok;
            }
            foreach (var s in all)
                output.WriteLine($"{s.Id,-24} {s.Status.ToString().ToLowerInvariant(),-9} last seen {s.LastSeen:yyyy-MM-dd HH:mm}Z from {s.Remote}  {s.Vendor} {s.Model} {s.SerialNumber}{(s.Group is null ? "" : $" (station group '{s.Group}')")}".TrimEnd());
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"bmw-rules stations: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}

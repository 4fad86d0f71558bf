using BmwWallbox.Ocpp;
using BmwWallbox.Rules.Configuration;

namespace BmwWallbox.Rules.Hosting;

/// <summary>
/// The stations a person approved and the members of station groups (data_dir/stations.json) join ocpp.stations at start,
/// named after their id (a group's member as its group's name says). A station
/// configured in config.yaml or the password file wins; a name already taken gets "-2", "-3", … appended.
/// </summary>
internal static class ApprovedStations
{
    public static string FilePath(string dataDir) => Path.Combine(dataDir, "stations.json");

    public static ConfigResult Merge(ConfigResult config, StationApprovals approvals)
    {
        var c = config.Config!;
        var ids = c.Ocpp.Stations.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        // A reserved name ('stations', 'rules') is taken from the start, so such an id is named 'stations-2'.
        var names = c.Ocpp.Stations.Select(s => s.Name).Concat(BmwWallbox.Core.TopicLayout.ReservedStationNames).ToHashSet(StringComparer.Ordinal);
        var added = new List<StationOptions>();
        foreach (var station in approvals.Approved(c.Ocpp.StationGroups).Where(s => !ids.Contains(s.Id)))
        {
            var name = station.Name;
            for (var n = 2; !names.Add(name); n++) name = $"{station.Name}-{n}";
            added.Add(station with { Name = name });
        }
        return added.Count == 0 ? config : config with { Config = c with { Ocpp = c.Ocpp with { Stations = [.. c.Ocpp.Stations, .. added] } } };
    }
}

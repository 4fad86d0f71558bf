using BmwWallbox.Core;
using BmwWallbox.Ocpp;
using BmwWallbox.Yaml;

namespace BmwWallbox.Rules.Configuration;

/// <summary>
/// Adds the stations of <c>ocpp.password_file</c> to <c>ocpp.stations</c>, so every part that serves stations sees one
/// list. A station written in config.yaml wins over a line with the same id. A bad line is reported at the password
/// file's line and column and left out.
/// </summary>
internal static class PasswordFileStations
{
    public static AppConfig Merge(AppConfig c, YamlFile yaml, string configPath, List<Problem> problems)
    {
        if (c.Ocpp.PasswordFile.Length == 0) return c;
        var path = Path.GetFullPath(c.Ocpp.PasswordFile, Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? ".");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var at = yaml.Find("ocpp.password_file");
            problems.Add(new Problem(configPath, (int)(at?.Start.Line ?? 0), (int)(at?.Start.Column ?? 0),
                $"cannot read ocpp.password_file '{path}': {e.Message}", StationFile.Format));
            return c;
        }

        var (entries, fileProblems) = StationFile.Parse(text);
        problems.AddRange(fileProblems.Select(p => new Problem(path, p.Line, p.Column, p.Message, p.Hint)));
        var written = c.Ocpp.Stations.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var names = c.Ocpp.Stations.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var added = new List<StationOptions>();
        foreach (var (station, line) in entries)
        {
            if (written.Contains(station.Id)) continue; // config.yaml's entry wins
            if (TopicLayout.ReservedStationNames.Contains(station.Name))
            {
                problems.Add(new Problem(path, line, 1, ConfigChecks.ReservedName(station.Name), "write another name as the third field ('stations' and 'rules' are reserved)"));
                continue;
            }
            if (names.Contains(station.Name))
            {
                problems.Add(new Problem(path, line, 1, $"station name '{station.Name}' of '{station.Id}' is already used in ocpp.stations",
                    "write another name as the third field"));
                continue;
            }
            added.Add(station);
        }
        return c with { Ocpp = c.Ocpp with { Stations = [.. c.Ocpp.Stations, .. added] } };
    }
}

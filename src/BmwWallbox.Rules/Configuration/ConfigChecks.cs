using System.Text.RegularExpressions;
using BmwWallbox.Core;
using BmwWallbox.Yaml;

namespace BmwWallbox.Rules.Configuration;

/// <summary>
/// Checks of values that bind fine but make no sense (ranges, names, references). This is how options a
/// user writes are validated: after reading, on the typed result, every finding a <see cref="Problem"/>
/// at its key, all of them at once. Each options record's own list (<c>Problems()</c>) is reported here
/// and refused by its component's constructor, so <c>validate</c> accepts exactly what <c>run</c> starts.
/// </summary>
internal static partial class ConfigChecks
{
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex Slug();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    /// <summary>Why a station may not be named <paramref name="name"/> (<see cref="TopicLayout.ReservedStationNames"/>).</summary>
    public static string ReservedName(string name) => $"station name '{name}' is reserved: <base>/{name}/… holds bmw-rules' own topics";

    public const string ReservedNameHint = "'stations' and 'rules' are reserved; choose another name, e.g. 'garage'";

    /// <summary>The password of the station in the shipped config.yaml: public, so never a real one.</summary>
    public const string PlaceholderPassword = "change-me-to-the-box-password";

    /// <summary>Reports each finding at its key in <paramref name="yaml"/> (or at the file when the key is not written).</summary>
    public static void Run(AppConfig c, YamlFile yaml)
    {
        void Add(string path, string message, string? hint = null, Severity severity = Severity.Error) =>
            yaml.Report(yaml.Find(path), message, hint, severity);

        // The components' own lists: what validate reports here is exactly what their constructors refuse.
        var options = c.Ocpp.Problems().Concat(c.Wallbox.Problems()).Concat(c.Mqtt.Problems()).Concat(c.Charging.Problems())
            .Concat(c.Signals.SelectMany(s => s.Value.Problems(s.Key))).Concat(c.Http.Problems()).Concat(c.Plan.Problems())
            .Concat(c.History.Problems([.. c.Signals.Keys]));
        foreach (var p in options) Add(p.Key, p.Message, p.Hint, p.Severity);

        if (c.Http.Enabled && c.Http.Tls && c.Ocpp.AllowInsecure)
            Add("http.tls", "http.tls serves the dashboard with the OCPP server's certificate, but ocpp.allow_insecure is on: there is none",
                "set http.tls: false, or switch ocpp.allow_insecure off (the wallbox needs wss anyway)");

        // What only this application needs: stations at all, their names in topics and rules, signal names in rules.
        if (c.Ocpp.Stations.Count == 0 && !c.Ocpp.KeepsUnknownStations)
            Add("ocpp", "no station configured under ocpp.stations", "add { id, password, name } for your wallbox; the id is shown in the BMW installer app");
        var names = new HashSet<string>();
        for (var i = 0; i < c.Ocpp.Stations.Count; i++)
        {
            var s = c.Ocpp.Stations[i];
            var at = $"ocpp.stations[{i}]";
            if (s.Password == PlaceholderPassword)
                Add($"{at}.password", $"station '{s.Id}' still has the placeholder password of the shipped config.yaml: anyone who has read it can log in as your wallbox",
                    "set the password you enter in the BMW installer app: 16–40 random characters", Severity.Warning);
            if (s.Name.Length == 0) Add(at, $"station '{s.Id}' has no name", "add name: a short topic-safe slug such as 'garage'");
            else if (!Slug().IsMatch(s.Name)) Add($"{at}.name", $"station name '{s.Name}' is not topic-safe", "use lower-case letters, digits, '-' and '_' only");
            else if (TopicLayout.ReservedStationNames.Contains(s.Name)) Add($"{at}.name", ReservedName(s.Name), ReservedNameHint);
            else if (!names.Add(s.Name)) Add($"{at}.name", $"station name '{s.Name}' is used twice");
        }
        foreach (var name in c.Signals.Keys)
            if (!Identifier().IsMatch(name)) Add($"signals.{name}", $"signal name '{name}' cannot be used in rules", "use letters, digits and '_' (e.g. solar_power)");

        ChargingChecks.Run(c, yaml);

        if (c.TimeZone.Length > 0 && !TimeZoneInfo.TryFindSystemTimeZoneById(c.TimeZone, out _))
        {
            var near = NearestName.Find(c.TimeZone, TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id));
            Add("time_zone", $"unknown time zone '{c.TimeZone}'",
                near is null ? "use an IANA name such as Europe/Berlin, or leave it empty for the machine's zone" : $"did you mean '{near}'?");
        }
        var levels = new[] { "Verbose", "Debug", "Information", "Warning", "Error", "Fatal" };
        foreach (var (source, level) in c.Logging.Overrides.Append(new("logging.level", c.Logging.Level)))
            if (!levels.Contains(level, StringComparer.OrdinalIgnoreCase))
                Add(source == "logging.level" ? "logging.level" : $"logging.overrides", $"unknown log level '{level}'", $"use one of {string.Join(", ", levels)}");
        foreach (var (name, target) in c.Plan.Stations)
        {
            if (!c.Ocpp.Stations.Any(s => s.Name == name))
            {
                var near = NearestName.Find(name, c.Ocpp.Stations.Select(s => s.Name));
                Add($"plan.stations.{name}", $"plan for unknown station '{name}'", near is null ? "use a name from ocpp.stations" : $"did you mean '{near}'?");
            }
            if (target.SocSignal.Length > 0 && !c.Signals.ContainsKey(target.SocSignal))
                Add($"plan.stations.{name}.soc_signal", $"plan.stations.{name}.soc_signal '{target.SocSignal}' is not a configured signal", "add it under signals:");
        }
        if (c.Rules.TraceHistory < 0) Add("rules.trace_history", "rules.trace_history cannot be negative");
    }
}

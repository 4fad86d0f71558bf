using System.Text.RegularExpressions;
using BmwWallbox.Core;
using BmwWallbox.Yaml;

namespace BmwWallbox.Rules.Configuration;

/// <summary>
/// Checks of values that bind fine but make no sense (ranges, names, references). This is how options a
/// user writes are validated: after reading, on the typed result, every finding a <see cref="Problem"/>
/// at its key, all of them at once. (The components' constructor guards only protect programmatic callers.)
/// </summary>
internal static partial class ConfigChecks
{
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex Slug();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    /// <summary>The password of the station in the shipped config.yaml: public, so never a real one.</summary>
    public const string PlaceholderPassword = "change-me-to-the-box-password";

    /// <summary>Reports each finding at its key in <paramref name="yaml"/> (or at the file when the key is not written).</summary>
    public static void Run(AppConfig c, YamlFile yaml)
    {
        void Add(string path, string message, string? hint = null, Severity severity = Severity.Error) =>
            yaml.Report(yaml.Find(path), message, hint, severity);

        if (c.Ocpp.Port is < 0 or > 65535) Add("ocpp.port", $"ocpp.port {c.Ocpp.Port} is not a TCP port", "use 1–65535; the BMW box is usually pointed at 9000");
        if (c.Ocpp.Stations.Count == 0)
            Add("ocpp", "no station configured under ocpp.stations", "add { id, password, name } for your wallbox; the id is shown in the BMW installer app");
        var names = new HashSet<string>();
        var ids = new HashSet<string>();
        for (var i = 0; i < c.Ocpp.Stations.Count; i++)
        {
            var s = c.Ocpp.Stations[i];
            var at = $"ocpp.stations[{i}]";
            if (s.Id.Length == 0) Add(at, "station without id", "the id is the last part of the URL the box dials, e.g. DE*BMW*E123456");
            else if (s.Id.Length > 48 || s.Id.Contains(':')) Add($"{at}.id", $"station id '{s.Id}' is invalid", "OCPP station ids have at most 48 characters and no ':'");
            else if (!ids.Add(s.Id)) Add($"{at}.id", $"station id '{s.Id}' is listed twice");
            if (s.Password.Length == 0) Add(at, $"station '{s.Id}' has no password", "security profile 2 needs the password set in the installer app");
            else if (s.Password == PlaceholderPassword)
                Add($"{at}.password", $"station '{s.Id}' still has the placeholder password of the shipped config.yaml: anyone who has read it can log in as your wallbox",
                    "set the password you enter in the BMW installer app: 16–40 random characters", Severity.Warning);
            else if (s.Password.Length is < 16 or > 40)
                Add($"{at}.password", $"the password of station '{s.Id}' has {s.Password.Length} characters", "OCPP 2.0.1 passwords have 16–40 characters; the box may refuse others", Severity.Warning);
            if (s.Name.Length == 0) Add(at, $"station '{s.Id}' has no name", "add name: a short topic-safe slug such as 'garage'");
            else if (!Slug().IsMatch(s.Name)) Add($"{at}.name", $"station name '{s.Name}' is not topic-safe", "use lower-case letters, digits, '-' and '_' only");
            else if (!names.Add(s.Name)) Add($"{at}.name", $"station name '{s.Name}' is used twice");
        }
        if (c.Ocpp.CommandTimeout <= TimeSpan.Zero) Add("ocpp.command_timeout", "ocpp.command_timeout must be positive");
        if (c.Ocpp.HeartbeatInterval < TimeSpan.FromSeconds(1)) Add("ocpp.heartbeat_interval", "ocpp.heartbeat_interval must be at least 1s");
        if (c.Ocpp.MaxConnections < 1) Add("ocpp.max_connections", "ocpp.max_connections must be at least 1");
        if (c.Ocpp.MaxConnectionsPerAddress < 1) Add("ocpp.max_connections_per_address", "ocpp.max_connections_per_address must be at least 1");
        if (c.Ocpp.HandshakeTimeout < TimeSpan.FromSeconds(1)) Add("ocpp.handshake_timeout", "ocpp.handshake_timeout must be at least 1s");
        if (c.Ocpp.MaxFailedLogins < 1) Add("ocpp.max_failed_logins", "ocpp.max_failed_logins must be at least 1");
        if (c.Ocpp.FailedLoginWindow <= TimeSpan.Zero) Add("ocpp.failed_login_window", "ocpp.failed_login_window must be positive");

        var w = c.Wallbox;
        if (w.MinCurrent < 0) Add("wallbox.min_current", "wallbox.min_current cannot be negative");
        if (w.MaxCurrent <= 0 || w.MaxCurrent > 80) Add("wallbox.max_current", $"wallbox.max_current {w.MaxCurrent} A is out of range", "a BMW box is 16 A (three-phase) or 32 A (single-phase)");
        if (w.MinCurrent > w.MaxCurrent) Add("wallbox.min_current", $"wallbox.min_current ({w.MinCurrent} A) is above max_current ({w.MaxCurrent} A)");
        else if (w.MinCurrent < 6) Add("wallbox.min_current", $"wallbox.min_current {w.MinCurrent} A is below 6 A", "IEC 61851 cars do not charge below 6 A", Severity.Warning);
        if (w.MaxPauseCyclesPerHour < 1) Add("wallbox.max_pause_cycles_per_hour", "wallbox.max_pause_cycles_per_hour must be at least 1");

        if (c.Mqtt.BaseTopic.Length == 0 || c.Mqtt.BaseTopic.IndexOfAny(['+', '#']) >= 0 || c.Mqtt.BaseTopic.EndsWith('/'))
            Add("mqtt.base_topic", $"mqtt.base_topic '{c.Mqtt.BaseTopic}' is not a valid topic prefix", "no wildcards, no trailing '/'");
        if (c.Mqtt.External is null && c.Mqtt.Port is < 1 or > 65535) Add("mqtt.port", $"mqtt.port {c.Mqtt.Port} is not a TCP port", "use 1–65535 (default 1883)");
        var mqttUsers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < c.Mqtt.Users.Count; i++)
        {
            var user = c.Mqtt.Users[i];
            if (user.Username.Length == 0 || user.Password.Length == 0)
                Add($"mqtt.users[{i}]", "every entry of mqtt.users needs a username and a password");
            else if (!mqttUsers.Add(user.Username)) Add($"mqtt.users[{i}].username", $"MQTT user '{user.Username}' is listed twice");
        }
        if (c.Mqtt.Users.Count > 0 && c.Mqtt.External is not null)
            Add("mqtt.users", "mqtt.users applies to the embedded broker only", "with an external broker set mqtt.broker.username and password, and configure users on that broker", Severity.Warning);
        if (c.Mqtt.External is { } ext)
        {
            if (ext.Host.Length == 0) Add("mqtt.broker", "mqtt.broker.host is empty");
            if (ext.CaFile is { Length: > 0 } && !ext.Tls) Add("mqtt.broker.ca_file", "mqtt.broker.ca_file is set but tls is false", "set tls: true", Severity.Warning);
        }

        foreach (var (name, signal) in c.Signals)
        {
            var at = $"signals.{name}";
            if (!Identifier().IsMatch(name)) Add(at, $"signal name '{name}' cannot be used in rules", "use letters, digits and '_' (e.g. solar_power)");
            if (signal.Topic.Length == 0) Add(at, $"signal '{name}' has no topic");
            else if (signal.Topic.IndexOfAny(['+', '#']) >= 0) Add($"{at}.topic", $"signal '{name}' topic '{signal.Topic}' has a wildcard", "a signal reads one exact topic");
            if (signal.Scale == 0) Add($"{at}.scale", $"signal '{name}' has scale 0, which would turn every value into 0");
            if (signal.Json is { } json && !json.StartsWith("$", StringComparison.Ordinal)) Add($"{at}.json", $"JSON path '{json}' must start with '$'", "e.g. $.ENERGY.Power");
        }

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
        if (c.Rules.TraceHistory < 0) Add("rules.trace_history", "rules.trace_history cannot be negative");
    }
}

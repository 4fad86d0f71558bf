using System.Text.RegularExpressions;
using BmwWallbox.Core;

namespace BmwWallbox.Ocpp;

/// <summary>
/// One entry of <c>ocpp.station_groups</c>: every station whose id starts with <see cref="Prefix"/> and that logs in with
/// <see cref="Password"/> is served, without an entry of its own (a depot, an apartment garage). Its first connection
/// records it in data_dir/stations.json as a member of the group; from then on it is a station like a configured one.
/// </summary>
public sealed partial record StationGroupOptions
{
    /// <summary>The placeholder for the whole id as a name ("GARAGE*07" → "garage-07").</summary>
    public const string IdPlaceholder = "{id}";
    /// <summary>The placeholder for the part of the id after the prefix, as a name ("GARAGE*07" with prefix "GARAGE*" → "07").</summary>
    public const string SuffixPlaceholder = "{suffix}";

    public string Prefix { get; init; } = "";
    /// <summary>The Basic-auth password every station of the group logs in with (16–40 characters).</summary>
    public string Password { get; init; } = "";
    /// <summary>The name of a member in MQTT topics and rules: text with <see cref="IdPlaceholder"/> or <see cref="SuffixPlaceholder"/>.</summary>
    public string Name { get; init; } = IdPlaceholder;
    /// <summary>At most this many members; more get HTTP 404, so a leaked group password cannot fill data_dir.</summary>
    public int MaxStations { get; init; } = 1000;

    public bool Contains(string stationId) => Prefix.Length > 0 && stationId.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The name of member <paramref name="stationId"/> (a taken name gets "-2", … when the stations are merged).</summary>
    public string NameFor(string stationId) => Name
        .Replace(IdPlaceholder, StationNames.FromId(stationId), StringComparison.Ordinal)
        .Replace(SuffixPlaceholder, StationNames.FromId(stationId[Math.Min(Prefix.Length, stationId.Length)..]), StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9_-]*$")]
    private static partial Regex TopicSafe();

    /// <summary>What makes no sense in entry <paramref name="at"/> (e.g. <c>ocpp.station_groups[0]</c>).</summary>
    public IEnumerable<OptionProblem> Problems(string at)
    {
        if (Prefix.Length == 0)
            yield return new(at, "station group without prefix", "e.g. prefix: \"GARAGE*\": every station whose id starts with it may log in with the group's password");
        else if (!OcppOptions.IsValidStationId(Prefix) || Prefix.Length >= OcppOptions.MaxStationIdLength)
            yield return new($"{at}.prefix", $"station group prefix '{Prefix}' cannot begin a station id", OcppOptions.StationIdRule);
        if (Password.Length == 0)
            yield return new(at, $"station group '{Prefix}' has no password", "the password every box of the group has set in its installer app");
        else if (!OcppOptions.IsValidPassword(Password))
            yield return new($"{at}.password", $"the password of station group '{Prefix}' has {Password.Length} characters", "OCPP 2.0.1 passwords have 16–40 characters");
        var literal = Name.Replace(IdPlaceholder, "", StringComparison.Ordinal).Replace(SuffixPlaceholder, "", StringComparison.Ordinal);
        if (!Name.Contains(IdPlaceholder, StringComparison.Ordinal) && !Name.Contains(SuffixPlaceholder, StringComparison.Ordinal))
            yield return new($"{at}.name", $"station group name '{Name}' would give every station of the group the same name",
                $"put {IdPlaceholder} (the id as a name) or {SuffixPlaceholder} (the rest of the id after the prefix) in it, e.g. \"garage-{SuffixPlaceholder}\"");
        else if (!TopicSafe().IsMatch(literal))
            yield return new($"{at}.name", $"station group name '{Name}' is not topic-safe",
                $"besides {IdPlaceholder} and {SuffixPlaceholder} use lower-case letters, digits, '-' and '_' only");
        if (MaxStations < 1) yield return new($"{at}.max_stations", $"ocpp.station_groups max_stations must be at least 1 (is {MaxStations})");
    }

    /// <summary>Never print the password (records print every property by default).</summary>
    public override string ToString() => $"StationGroupOptions {{ Prefix = {Prefix}, Name = {Name}, MaxStations = {MaxStations} }}";
}

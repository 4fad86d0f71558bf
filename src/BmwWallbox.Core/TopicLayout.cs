namespace BmwWallbox.Core;

/// <summary>
/// The MQTT topics under <c>mqtt.base_topic</c>, named in one place. The MQTT bridge publishes and listens on
/// them; the rules reach them only through their bus (<see cref="IMessageBus.Topics"/>): where their traces
/// go, and which topics are a person's commands that a rule may not publish to.
/// </summary>
public sealed class TopicLayout(string baseTopic)
{
    public const string DefaultBase = "bmw-wallbox";

    public string Base { get; } = baseTopic.TrimEnd('/');

    /// <summary>online/offline of the bridge itself (its last will).</summary>
    public string Status => $"{Base}/status";

    /// <summary>A station's retained state, e.g. <c>bmw-wallbox/garage/power</c>.</summary>
    public string Station(string station, string key) => $"{Base}/{station}/{key}";

    /// <summary>The level of a station's commands (<c>&lt;base&gt;/&lt;name&gt;/set/…</c>).</summary>
    public const string CommandLevel = "set";

    /// <summary>A person's command to a station, e.g. <c>bmw-wallbox/garage/set/current</c>.</summary>
    public string Command(string station, string verb) => $"{Base}/{station}/{CommandLevel}/{verb}";

    /// <summary>The subscription that receives every station's commands.</summary>
    public string CommandFilter => $"{Base}/+/{CommandLevel}/+";

    /// <summary>Whether <paramref name="topic"/> is (under) a station's command topics, or a person's decision on an unknown station.</summary>
    public bool IsCommand(string topic) => TopicFilter.Matches($"{Base}/+/{CommandLevel}/#", topic) || topic == StationsApprove || topic == StationsReject;

    /// <summary>The fleet's topics (<c>&lt;base&gt;/stations/…</c>), so no station may be named so.</summary>
    public const string FleetLevel = "stations";

    /// <summary>The rules' traces (<c>&lt;base&gt;/rules/…</c>), so no station may be named so.</summary>
    public const string RulesLevel = "rules";

    /// <summary>Station names that would mix a station's topics (<c>&lt;base&gt;/&lt;name&gt;/…</c>) with bmw-rules' own.</summary>
    public static readonly IReadOnlySet<string> ReservedStationNames = new HashSet<string>(StringComparer.Ordinal) { FleetLevel, RulesLevel };

    /// <summary>The unknown stations and their status (ocpp.accept_unknown: pending), retained.</summary>
    public string StationsPending => $"{Base}/{FleetLevel}/pending";

    /// <summary>A person approves the unknown station whose id is the payload.</summary>
    public string StationsApprove => $"{Base}/{FleetLevel}/approve";

    /// <summary>A person rejects the unknown station whose id is the payload.</summary>
    public string StationsReject => $"{Base}/{FleetLevel}/reject";

    /// <summary>Where the answer to an approve or reject goes.</summary>
    public string StationsResult => $"{Base}/{FleetLevel}/result";

    /// <summary>Where the answer to a station's command goes.</summary>
    public string CommandResult(string station) => $"{Base}/{station}/result";

    /// <summary>A rule's last run, retained.</summary>
    public string RuleTrace(string ruleId) => $"{Base}/{RulesLevel}/{ruleId}/trace";

    /// <summary>Rule ids whose trace topic would be a command topic: <c>&lt;base&gt;/rules/set/trace</c> matches <see cref="CommandFilter"/>.</summary>
    public static readonly IReadOnlySet<string> ReservedRuleIds = new HashSet<string>(StringComparer.Ordinal) { CommandLevel };
}

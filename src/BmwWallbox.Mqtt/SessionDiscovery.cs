using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BmwWallbox.Core;

namespace BmwWallbox.Mqtt;

/// <summary>
/// Home Assistant discovery for the last charging session of a station: energy, solar share and cost,
/// read from the retained JSON on <c>&lt;base&gt;/&lt;name&gt;/session/last</c>. Same device as
/// <see cref="HomeAssistantDiscovery"/> (HA joins them by the identifier); available while bmw-rules runs,
/// whether the box is online or not (the last session stays true).
/// </summary>
internal static class SessionDiscovery
{
    public static string LastTopic(TopicLayout topics, string name) => topics.Station(name, "session/last");

    /// <param name="currency">The cost's unit (history.currency); HA wants an ISO code such as EUR.</param>
    public static IEnumerable<KeyValuePair<string, string>> Configs(MqttOptions options, string stationId, string name, string currency)
        => Templates.GetOrAdd((options.BaseTopic, options.DiscoveryPrefix, currency), key => [.. MakeTemplates(key.BaseTopic, key.DiscoveryPrefix, key.Currency)])
            .Select(t => KeyValuePair.Create(t.Topic.Fill(stationId, name), t.Config.Fill(stationId, name)));

    // The same for every station but its names: made once per run, then only the names go in.
    private static readonly ConcurrentDictionary<(string BaseTopic, string DiscoveryPrefix, string Currency), (StationTemplate Topic, StationTemplate Config)[]> Templates = new();

    private static IEnumerable<(StationTemplate Topic, StationTemplate Config)> MakeTemplates(string baseTopic, string discoveryPrefix, string currency)
    {
        var node = StationTemplate.NodeMark;
        var name = StationTemplate.NameMark;
        var topics = new TopicLayout(baseTopic);

        (StationTemplate, StationTemplate) Sensor(string key, string entityName, string template, JsonObject specific)
        {
            var config = new JsonObject
            {
                ["name"] = entityName,
                ["unique_id"] = $"{node}_{key}",
                ["default_entity_id"] = $"sensor.{StationTemplate.EntityPrefixMark}_{key}",
                ["state_topic"] = LastTopic(topics, name),
                ["value_template"] = template,
                ["json_attributes_topic"] = LastTopic(topics, name),
                ["availability"] = new JsonArray(new JsonObject
                {
                    ["topic"] = topics.Status,
                    ["payload_available"] = BridgeStatus.Online,
                    ["payload_not_available"] = BridgeStatus.Offline,
                }),
                ["device"] = new JsonObject { ["identifiers"] = new JsonArray(node), ["name"] = $"Wallbox {name}" },
                ["origin"] = new JsonObject { ["name"] = "bmw-rules" },
            };
            foreach (var (field, value) in specific) config[field] = value?.DeepClone();
            return (new StationTemplate($"{discoveryPrefix}/sensor/{node}/{key}/config", json: false),
                new StationTemplate(DiscoveryAbbreviations.Shorten(config).ToJsonString(DiscoveryAbbreviations.Json), json: true));
        }

        static string OrUnknown(string field, string expression) =>
            $"{{{{ {expression} if value_json.{field} is not none else 'None' }}}}";

        yield return Sensor("session_energy", "Last session energy", OrUnknown("energy_kwh", "value_json.energy_kwh"),
            new JsonObject { ["unit_of_measurement"] = "kWh", ["device_class"] = "energy", ["icon"] = "mdi:ev-station" });
        yield return Sensor("session_solar_share", "Last session solar share", OrUnknown("solar_share", "(value_json.solar_share * 100) | round(0)"),
            new JsonObject { ["unit_of_measurement"] = "%", ["icon"] = "mdi:solar-power" });
        yield return Sensor("session_cost", "Last session cost", OrUnknown("cost", "value_json.cost | round(2)"),
            new JsonObject { ["device_class"] = "monetary", ["unit_of_measurement"] = currency, ["icon"] = "mdi:cash" });
    }
}

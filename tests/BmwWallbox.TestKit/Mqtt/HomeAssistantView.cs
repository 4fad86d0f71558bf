using System.Text.Json;
using System.Text.Json.Nodes;

namespace BmwWallbox.TestKit;

/// <summary>
/// A discovery payload as Home Assistant reads it (its MQTT discovery: abbreviations expanded, then a device
/// config's shared options copied into each component that has none of its own), so tests check full names.
/// The table is Home Assistant's, written down here independently of the code under test.
/// </summary>
public static class HomeAssistantView
{
    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["avty"] = "availability", ["avty_mode"] = "availability_mode", ["avty_t"] = "availability_topic",
        ["cmd_t"] = "command_topic", ["cmd_tpl"] = "command_template", ["cmps"] = "components",
        ["def_ent_id"] = "default_entity_id", ["dev"] = "device", ["dev_cla"] = "device_class",
        ["ent_cat"] = "entity_category", ["ic"] = "icon", ["json_attr_t"] = "json_attributes_topic",
        ["o"] = "origin", ["ops"] = "options", ["p"] = "platform", ["ptrn"] = "pattern",
        ["pl_avail"] = "payload_available", ["pl_not_avail"] = "payload_not_available",
        ["pl_off"] = "payload_off", ["pl_on"] = "payload_on", ["pl_prs"] = "payload_press",
        ["stat_cla"] = "state_class", ["stat_t"] = "state_topic", ["t"] = "topic",
        ["uniq_id"] = "unique_id", ["unit_of_meas"] = "unit_of_measurement", ["val_tpl"] = "value_template",
    };

    private static readonly Dictionary<string, string> DeviceAbbreviations = new(StringComparer.Ordinal)
    {
        ["ids"] = "identifiers", ["mf"] = "manufacturer", ["mdl"] = "model", ["sn"] = "serial_number", ["sw"] = "sw_version",
    };

    /// <summary>Home Assistant's device-config options that components inherit.</summary>
    private static readonly string[] SharedOptions =
        ["availability", "availability_mode", "availability_topic", "command_topic", "payload_available", "payload_not_available", "state_topic"];

    /// <summary>Every full key name Home Assistant accepts in what bmw-rules sends (beyond the abbreviated ones).</summary>
    public static IReadOnlySet<string> KnownKeys { get; } = new HashSet<string>(
        [.. Abbreviations.Values, .. DeviceAbbreviations.Values, "name", "min", "max", "step", "mode", "migrate_discovery"], StringComparer.Ordinal);

    /// <summary>A per-entity config (or any discovery payload) with every key in full.</summary>
    public static JsonElement Entity(string payload) => ToElement(Expand(JsonNode.Parse(payload)!.AsObject()));

    /// <summary>A device config with every key in full: <c>device</c>, <c>origin</c> and the components with what they inherit.</summary>
    public static JsonElement Device(string payload)
    {
        var device = Expand(JsonNode.Parse(payload)!.AsObject());
        foreach (var (_, component) in device["components"]!.AsObject())
            foreach (var option in SharedOptions)
                if (device[option] is { } shared && !component!.AsObject().ContainsKey(option))
                    component!.AsObject()[option] = shared.DeepClone();
        return ToElement(device);
    }

    /// <summary>The components of a device config by their id, as Home Assistant sees each.</summary>
    public static Dictionary<string, JsonElement> Components(string payload)
        => Device(payload).GetProperty("components").EnumerateObject().ToDictionary(c => c.Name, c => c.Value);

    private static JsonObject Expand(JsonObject config)
    {
        var expanded = new JsonObject();
        foreach (var (key, value) in config.ToList())
        {
            config.Remove(key);
            var name = Abbreviations.GetValueOrDefault(key, key);
            expanded[name] = (name, value) switch
            {
                ("device", JsonObject device) => Rename(device, DeviceAbbreviations),
                ("components", JsonObject components) => ExpandEach(components),
                ("availability", JsonArray entries) => new JsonArray([.. entries.Select(e => (JsonNode?)Rename(e!.AsObject(), Abbreviations))]),
                _ => value,
            };
        }
        return expanded;
    }

    private static JsonObject ExpandEach(JsonObject components)
    {
        var expanded = new JsonObject();
        foreach (var (id, component) in components.ToList())
        {
            components.Remove(id);
            expanded[id] = Expand(component!.AsObject());
        }
        return expanded;
    }

    private static JsonObject Rename(JsonObject node, Dictionary<string, string> names)
    {
        var renamed = new JsonObject();
        foreach (var (key, value) in node.ToList())
        {
            node.Remove(key);
            renamed[names.GetValueOrDefault(key, key)] = value;
        }
        return renamed;
    }

    private static JsonElement ToElement(JsonObject node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
}

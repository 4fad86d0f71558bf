using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BmwWallbox.Mqtt;

/// <summary>
/// Home Assistant's documented abbreviations of discovery keys ("Supported abbreviations in MQTT discovery
/// messages"), for the keys bmw-rules sends. The code writes the full names; the wire carries the short ones:
/// a station's device config shrinks by about half, which at 10,000 stations is tens of MB less in the broker
/// and in Home Assistant's start-up. A key not listed here is sent as it is (also valid).
/// </summary>
internal static class DiscoveryAbbreviations
{
    private static readonly Dictionary<string, string> Entity = new(StringComparer.Ordinal)
    {
        ["availability"] = "avty",
        ["availability_mode"] = "avty_mode",
        ["command_template"] = "cmd_tpl",
        ["command_topic"] = "cmd_t",
        ["components"] = "cmps",
        ["default_entity_id"] = "def_ent_id",
        ["device"] = "dev",
        ["device_class"] = "dev_cla",
        ["entity_category"] = "ent_cat",
        ["icon"] = "ic",
        ["json_attributes_topic"] = "json_attr_t",
        ["options"] = "ops",
        ["origin"] = "o",
        ["pattern"] = "ptrn",
        ["payload_available"] = "pl_avail",
        ["payload_not_available"] = "pl_not_avail",
        ["payload_off"] = "pl_off",
        ["payload_on"] = "pl_on",
        ["payload_press"] = "pl_prs",
        ["platform"] = "p",
        ["state_class"] = "stat_cla",
        ["state_topic"] = "stat_t",
        ["topic"] = "t",
        ["unique_id"] = "uniq_id",
        ["unit_of_measurement"] = "unit_of_meas",
        ["value_template"] = "val_tpl",
    };

    private static readonly Dictionary<string, string> Device = new(StringComparer.Ordinal)
    {
        ["identifiers"] = "ids",
        ["manufacturer"] = "mf",
        ["model"] = "mdl",
        ["serial_number"] = "sn",
        ["sw_version"] = "sw",
    };

    /// <summary>
    /// MQTT payloads are not HTML: quotes stay quotes (the templates' <c>'None'</c> would otherwise be
    /// <c>\u0027None\u0027</c>), and non-ASCII names stay readable.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// A device config (<c>device</c>, <c>origin</c>, shared options, <c>components</c>) or one entity's config,
    /// with every key shortened where Home Assistant knows a short form; component ids stay as they are.
    /// </summary>
    public static JsonObject Shorten(JsonObject config) => Rebuilt(config, (key, value) => (Entity.GetValueOrDefault(key, key), key switch
    {
        "device" => Rebuilt(value!.AsObject(), (field, v) => (Device.GetValueOrDefault(field, field), v)),
        "components" => Rebuilt(value!.AsObject(), (id, component) => (id, Shorten(component!.AsObject()))),
        "availability" => new JsonArray([.. value!.AsArray().Select(a => (JsonNode?)Rebuilt(a!.AsObject(), (field, v) => (Entity.GetValueOrDefault(field, field), v)))]),
        _ => value,
    }));

    /// <summary>A new object with each of <paramref name="node"/>'s properties as <paramref name="each"/> makes it.</summary>
    private static JsonObject Rebuilt(JsonObject node, Func<string, JsonNode?, (string Key, JsonNode? Value)> each)
    {
        var rebuilt = new JsonObject();
        foreach (var (key, value) in node.ToList())
        {
            node.Remove(key); // a value has one parent: taken out before it goes into the new object
            var (newKey, newValue) = each(key, value);
            rebuilt[newKey] = newValue;
        }
        return rebuilt;
    }
}

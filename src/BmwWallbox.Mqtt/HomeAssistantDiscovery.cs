using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BmwWallbox.Core;

namespace BmwWallbox.Mqtt;

/// <summary>
/// Home Assistant MQTT discovery for one station: ONE retained device-based discovery message
/// (Home Assistant 2024.11 and later) with the device, the origin and every entity as a component:
/// sensors, binary sensors, a current-limit number and command buttons. One message instead of one
/// per entity (~19): at 10,000 stations that is the difference between ~10,000 and ~190,000 retained
/// messages in the broker, and the device block is sent once instead of with every entity.
/// Each entity is available while bmw-rules runs (<c>&lt;base&gt;/status</c>) and the box is connected
/// (<c>&lt;base&gt;/&lt;name&gt;/connected</c>); only the Online sensor (and what can be set while the box
/// is away) stays available when the box is offline.
/// Topic: <c>&lt;prefix&gt;/device/bmw_rules_&lt;station&gt;/config</c>. A component's id is the key the entity
/// had under the per-entity schema of older versions (<c>&lt;prefix&gt;/&lt;component&gt;/bmw_rules_&lt;station&gt;/&lt;key&gt;/config</c>),
/// so Home Assistant can migrate those entities (<see cref="LegacyDiscoveryMigration"/>).
/// Keys go out in Home Assistant's abbreviated form (<see cref="DiscoveryAbbreviations"/>).
/// </summary>
internal static class HomeAssistantDiscovery
{
    // HA ignores an empty payload of a numeric sensor and treats "None" as unknown; an empty
    // retained topic is how we say "unknown", so map it.
    private const string EmptyIsUnknown = "{{ value if value else 'None' }}";
    // A paused box has limit 0, below the number's min: show unknown instead of an HA range error.
    private const string PausedIsUnknown = "{{ value if value | float(0) > 0 else 'None' }}";
    private const string ChargingFromState = "{{ 'ON' if value == 'Charging' else 'OFF' }}";

    /// <summary>Start of every discovery node id of ours (the embedded broker lets only the bridge publish these).</summary>
    public const string NodePrefix = "bmw_rules_";

    /// <summary>Home Assistant's answer to a per-entity config that a device-based one is about to take over.</summary>
    public const string MigratePayload = "{\"migrate_discovery\":true}";

    /// <summary>The device-based discovery topic of a station.</summary>
    public static string Topic(MqttOptions options, string stationId) => $"{options.DiscoveryPrefix}/device/{Node(stationId)}/config";

    /// <summary>The station's discovery node id (<c>bmw_rules_&lt;slug of the station id&gt;</c>).</summary>
    public static string Node(string stationId) => NodePrefix + Slug(stationId);

    /// <param name="modes">The run has charge modes: add the Charge mode select.</param>
    public static KeyValuePair<string, string> Config(MqttOptions options, string stationId, string name, BootInfo? boot, CurrentRange range, bool modes = false)
    {
        var device = DiscoveryAbbreviations.Shorten(new JsonObject { ["device"] = Device(Node(stationId), name, boot) })
            .ToJsonString(DiscoveryAbbreviations.Json);
        // The rest is the same for every station but its names: made once, then only the names go in.
        var shared = SharedParts.GetOrAdd((options.BaseTopic, range, modes), key => SharedPart(key.BaseTopic, key.Range, key.Modes));
        return new(Topic(options, stationId), shared.Fill(stationId, name, prefix: $"{device.AsSpan(0, device.Length - 1)},"));
    }

    private static readonly ConcurrentDictionary<(string BaseTopic, CurrentRange Range, bool Modes), StationTemplate> SharedParts = new();

    /// <summary>
    /// Origin, availability (shared by the components: Home Assistant copies it into each that has none of its own)
    /// and the components, abbreviated, with the marks where a station's names go; without the opening brace.
    /// </summary>
    private static StationTemplate SharedPart(string baseTopic, CurrentRange range, bool modes)
    {
        var topics = new TopicLayout(baseTopic);
        var components = new JsonObject();
        foreach (var (key, component) in Components(topics, StationTemplate.NodeMark, StationTemplate.EntityPrefixMark, StationTemplate.NameMark, range, modes))
            components[key] = component;
        var config = new JsonObject
        {
            ["origin"] = new JsonObject { ["name"] = "bmw-rules" },
            ["availability"] = new JsonArray(BridgeUp(topics), BoxUp(topics, StationTemplate.NameMark)),
            ["availability_mode"] = "all",
            ["components"] = components,
        };
        return new StationTemplate(DiscoveryAbbreviations.Shorten(config).ToJsonString(DiscoveryAbbreviations.Json)[1..], json: true);
    }

    /// <summary>
    /// The per-entity config topics that versions before device-based discovery published for a station
    /// (the last session's sensors, <see cref="SessionDiscovery"/>, are still published per entity and are not among them).
    /// </summary>
    public static IEnumerable<string> LegacyTopics(MqttOptions options, string stationId)
        => LegacyEntities.Select(e => $"{options.DiscoveryPrefix}/{e.Platform}/{Node(stationId)}/{e.Key}/config");

    /// <summary>The component keys of older versions' per-entity topics, with their platform.</summary>
    public static IReadOnlyList<(string Platform, string Key)> LegacyEntities { get; } =
        [.. Components(new TopicLayout(TopicLayout.DefaultBase), "x", "x", "x", new CurrentRange(6, 16), modes: true).Select(c => ((string)c.Component["platform"]!, c.Key))];

    // online/offline are Home Assistant's defaults: not repeated.
    private static JsonObject BridgeUp(TopicLayout topics) => new() { ["topic"] = topics.Status };

    private static JsonObject BoxUp(TopicLayout topics, string name) => new()
    {
        ["topic"] = topics.Station(name, "connected"),
        ["payload_available"] = "true",
        ["payload_not_available"] = "false",
    };

    /// <summary>
    /// Each entity as a component of the device config: its key and its config (with <c>platform</c>). An entity
    /// that needs the box online takes the device's availability (bmw-rules and the box); the others say their own.
    /// </summary>
    private static IEnumerable<(string Key, JsonObject Component)> Components(TopicLayout topics, string node, string entityPrefix, string name, CurrentRange range, bool modes)
    {
        string State(string key) => topics.Station(name, key);
        string Command(string verb) => topics.Command(name, verb);

        (string, JsonObject) Entity(string component, string key, string entityName, JsonObject specific, bool needsBox = true)
        {
            var config = new JsonObject
            {
                ["platform"] = component,
                ["name"] = entityName,
                ["unique_id"] = $"{node}_{key}",
                ["default_entity_id"] = $"{component}.{entityPrefix}_{key}",
            };
            if (!needsBox) config["availability"] = new JsonArray(BridgeUp(topics));
            foreach (var (field, value) in specific) config[field] = value?.DeepClone();
            return (key, config);
        }

        JsonObject Measurement(string key, string unit, string deviceClass, string stateClass) => new()
        {
            ["state_topic"] = State(key),
            ["value_template"] = EmptyIsUnknown,
            ["unit_of_measurement"] = unit,
            ["device_class"] = deviceClass,
            ["state_class"] = stateClass,
        };

        JsonObject Text(string key, string icon) => new()
        {
            ["state_topic"] = State(key),
            ["value_template"] = EmptyIsUnknown,
            ["icon"] = icon,
        };

        JsonObject Button(string verb, string icon) => new() { ["command_topic"] = Command(verb), ["icon"] = icon };

        yield return Entity("sensor", "power", "Power", Measurement("power", "W", "power", "measurement"));
        yield return Entity("sensor", "energy", "Energy", Measurement("energy", "kWh", "energy", "total_increasing"));
        yield return Entity("sensor", "current", "Current", Measurement("current", "A", "current", "measurement"));
        yield return Entity("sensor", "voltage", "Voltage", Measurement("voltage", "V", "voltage", "measurement"));
        yield return Entity("sensor", "status", "Status", Text("status", "mdi:ev-station"));
        yield return Entity("sensor", "charging_state", "Charging state", Text("charging_state", "mdi:ev-plug-type2"));
        var limitSource = Text("limit_source", "mdi:account-arrow-right");
        limitSource["entity_category"] = "diagnostic";
        yield return Entity("sensor", "limit_source", "Limit source", limitSource);

        yield return Entity("binary_sensor", "online", "Online", new JsonObject
        {
            ["state_topic"] = State("connected"),
            ["payload_on"] = "true",
            ["payload_off"] = "false",
            ["device_class"] = "connectivity",
            ["entity_category"] = "diagnostic",
        }, needsBox: false);
        yield return Entity("binary_sensor", "charging", "Charging", new JsonObject
        {
            ["state_topic"] = State("charging_state"),
            ["value_template"] = ChargingFromState,
            ["payload_on"] = "ON",
            ["payload_off"] = "OFF",
            ["device_class"] = "battery_charging",
        });

        yield return Entity("number", "current_limit", "Current limit", new JsonObject
        {
            ["command_topic"] = Command("current"),
            ["state_topic"] = State("limit"),
            ["value_template"] = PausedIsUnknown,
            ["min"] = range.Min,
            ["max"] = range.Max,
            ["step"] = 1,
            ["unit_of_measurement"] = "A",
            ["device_class"] = "current",
            ["mode"] = "slider",
        });

        foreach (var entity in PlanEntities(Entity, State, Command)) yield return entity;

        yield return Entity("button", "pause", "Pause", Button("pause", "mdi:pause"));
        yield return Entity("button", "resume", "Resume", Button("resume", "mdi:play"));
        yield return Entity("button", "start", "Charge now", Button("start", "mdi:lightning-bolt"));
        var reboot = Button("reboot", "mdi:restart");
        reboot["device_class"] = "restart";
        reboot["entity_category"] = "config";
        yield return Entity("button", "reboot", "Reboot", reboot);

        // The mode can be chosen while the box is offline too: it applies when the box connects.
        if (modes)
            yield return Entity("select", "mode", "Charge mode", new JsonObject
            {
                ["command_topic"] = Command("mode"),
                ["state_topic"] = State("mode"),
                ["options"] = new JsonArray(ChargeModeText.All.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
                ["icon"] = "mdi:solar-power-variant",
            }, needsBox: false);
    }

    /// <summary>
    /// The planner: target kWh (number) and "by" time (text) each send their one key of set/plan's JSON
    /// (the other key stays); the plan's summary as a sensor with the whole plan as attributes; a clear button.
    /// </summary>
    private static IEnumerable<(string, JsonObject)> PlanEntities(
        Func<string, string, string, JsonObject, bool, (string, JsonObject)> entity, Func<string, string> state, Func<string, string> command)
    {
        // The plan topic is empty without a target: that reads as unknown, not as a template error.
        yield return entity("number", "plan_energy", "Plan energy", new JsonObject
        {
            ["command_topic"] = command("plan"),
            ["command_template"] = "{\"energy_kwh\": {{ value }}}",
            ["state_topic"] = state("plan"),
            ["value_template"] = "{{ value_json.target.energy_kwh | default('None') if value else 'None' }}",
            ["min"] = 1,
            ["max"] = 150,
            ["step"] = 1,
            ["unit_of_measurement"] = "kWh",
            ["device_class"] = "energy",
            ["mode"] = "box",
            ["icon"] = "mdi:battery-clock",
        }, false);
        yield return entity("text", "plan_by", "Plan ready by", new JsonObject
        {
            ["command_topic"] = command("plan"),
            ["command_template"] = "{\"by\": \"{{ value }}\"}",
            ["state_topic"] = state("plan"),
            ["value_template"] = "{{ value_json.target.by if value else '' }}",
            ["pattern"] = "^[0-2]?[0-9]:[0-5][0-9]$",
            ["icon"] = "mdi:clock-end",
        }, false);
        yield return entity("sensor", "plan", "Plan", new JsonObject
        {
            ["state_topic"] = state("plan"),
            ["value_template"] = "{{ value_json.summary if value else 'None' }}",
            ["json_attributes_topic"] = state("plan"),
            ["icon"] = "mdi:calendar-clock",
        }, false);
        yield return entity("button", "plan_clear", "Clear plan", new JsonObject
        {
            ["command_topic"] = command("plan"),
            ["payload_press"] = "clear",
            ["icon"] = "mdi:calendar-remove",
        }, false);
    }

    private static JsonObject Device(string node, string name, BootInfo? boot)
    {
        var device = new JsonObject
        {
            ["identifiers"] = new JsonArray(node),
            ["name"] = $"Wallbox {name}",
        };
        // Only what the box told us in BootNotification; HA rejects nulls, so absent stays absent.
        if (boot is not null)
        {
            device["manufacturer"] = boot.Vendor;
            device["model"] = boot.Model;
            if (boot.FirmwareVersion is { } firmware) device["sw_version"] = firmware;
            if (boot.SerialNumber is { } serial) device["serial_number"] = serial;
        }
        return device;
    }

    /// <summary>The start of a station's entity ids.</summary>
    internal static string EntityPrefix(string name) => "wallbox_" + Slug(name);

    /// <summary>Lower-case letters, digits and underscores: valid in entity ids and discovery topics.</summary>
    internal static string Slug(string text) => string.Create(text.Length, text, static (slug, text) =>
    {
        for (var i = 0; i < text.Length; i++)
            slug[i] = char.ToLowerInvariant(text[i]) is var c and (>= 'a' and <= 'z' or >= '0' and <= '9') ? c : '_';
    });
}

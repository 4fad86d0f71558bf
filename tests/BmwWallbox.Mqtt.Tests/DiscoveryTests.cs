using System.Text.Json;
using BmwWallbox.Core;

namespace BmwWallbox.Mqtt.Tests;

/// <summary>Discovery configs checked field by field against HA's MQTT discovery schema.</summary>
public class DiscoveryTests
{
    private static readonly MqttOptions Options = new() { BaseTopic = "bmw-wallbox", DiscoveryPrefix = "homeassistant" };
    private static readonly BootInfo Boot = new("BMW", "Wallbox Plus", "SN123", "1.2.3", "PowerUp", DateTimeOffset.UtcNow);

    private static JsonElement DeviceConfig(BootInfo? boot = null, MqttOptions? options = null)
    {
        var (topic, payload) = HomeAssistantDiscovery.Config(options ?? Options, "BMW-001", "garage", boot, new CurrentRange(6, 16));
        Assert.Equal($"{(options ?? Options).DiscoveryPrefix}/device/bmw_rules_bmw_001/config", topic);
        return HomeAssistantView.Device(payload);
    }

    /// <summary>The components by their key (the key each entity had as a per-entity topic), as Home Assistant sees them.</summary>
    private static Dictionary<string, JsonElement> Components(BootInfo? boot = null)
        => DeviceConfig(boot ?? Boot).GetProperty("components").EnumerateObject().ToDictionary(c => c.Name, c => c.Value);

    private static JsonElement Config(string component, string key)
    {
        var config = Components()[key];
        Assert.Equal(component, S(config, "platform"));
        return config;
    }

    private static string S(JsonElement e, string property) => e.GetProperty(property).GetString()!;

    private static string Payload(JsonElement e, string property, string homeAssistantDefault)
        => e.TryGetProperty(property, out var value) ? value.GetString()! : homeAssistantDefault;

    [Fact]
    public void One_device_config_holds_every_entity_with_identity_and_availability()
    {
        var components = Components();
        Assert.Equal(18, components.Count); // 14 + the planner's 4
        var uniqueIds = new HashSet<string>();
        foreach (var (key, config) in components)
        {
            var component = S(config, "platform");
            Assert.True(uniqueIds.Add(S(config, "unique_id")), $"duplicate unique_id in {key}");
            // The unique id and the component key of the per-entity schema: Home Assistant migrates the entity by them.
            Assert.Equal($"bmw_rules_bmw_001_{key}", S(config, "unique_id"));
            Assert.Matches($"^{component}\\.wallbox_garage_[a-z_]+$", S(config, "default_entity_id"));
            // Available while bmw-rules runs and (except the Online sensor itself and the plan, which can be set
            // while the box is away) while the box is connected.
            Assert.Equal("all", S(config, "availability_mode"));
            // Absent payloads are Home Assistant's defaults, online and offline: what bmw-rules publishes on its status topic.
            var availability = config.GetProperty("availability").EnumerateArray()
                .Select(a => (S(a, "topic"), Payload(a, "payload_available", "online"), Payload(a, "payload_not_available", "offline"))).ToList();
            Assert.Equal(("bmw-wallbox/status", "online", "offline"), availability[0]);
            if (key == "online" || key.StartsWith("plan"))
                Assert.Single(availability);
            else
                Assert.Equal([("bmw-wallbox/status", "online", "offline"), ("bmw-wallbox/garage/connected", "true", "false")], availability);
            Assert.False(config.TryGetProperty("availability_topic", out _));
            Assert.False(string.IsNullOrEmpty(S(config, "name")));
            // The device is said once, for all of them.
            Assert.False(config.TryGetProperty("device", out _));
        }
    }

    [Fact]
    public void The_device_and_origin_are_shared_by_all_entities()
    {
        var config = DeviceConfig(Boot);
        var device = config.GetProperty("device");
        Assert.Equal(["bmw_rules_bmw_001"], device.GetProperty("identifiers").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal("Wallbox garage", S(device, "name"));
        Assert.Equal("BMW", S(device, "manufacturer"));
        Assert.Equal("Wallbox Plus", S(device, "model"));
        Assert.Equal("1.2.3", S(device, "sw_version"));
        Assert.Equal("SN123", S(device, "serial_number"));
        Assert.Equal("bmw-rules", S(config.GetProperty("origin"), "name"));
    }

    [Fact]
    public void Device_without_boot_info_omits_what_is_unknown()
    {
        var device = DeviceConfig(boot: null).GetProperty("device");
        Assert.False(device.TryGetProperty("manufacturer", out _));
        Assert.False(device.TryGetProperty("sw_version", out _));
        Assert.Equal("Wallbox garage", S(device, "name"));
    }

    [Fact]
    public void Legacy_topics_are_the_per_entity_topics_of_older_versions_for_every_entity()
    {
        var legacy = HomeAssistantDiscovery.LegacyTopics(Options, "BMW-001").ToList();
        Assert.Contains("homeassistant/sensor/bmw_rules_bmw_001/power/config", legacy);
        Assert.Contains("homeassistant/number/bmw_rules_bmw_001/current_limit/config", legacy);
        Assert.Contains("homeassistant/select/bmw_rules_bmw_001/mode/config", legacy);
        // The last session's sensors are still published per entity: never cleared as legacy.
        Assert.DoesNotContain(legacy, t => t.Contains("/session_"));
        var withModes = HomeAssistantDiscovery.Config(Options, "BMW-001", "garage", Boot, new CurrentRange(6, 16), modes: true).Value;
        var keys = HomeAssistantView.Device(withModes).GetProperty("components").EnumerateObject()
            .Select(c => $"homeassistant/{c.Value.GetProperty("platform").GetString()}/bmw_rules_bmw_001/{c.Name}/config");
        Assert.Equal(keys.Order(), legacy.Order());
    }

    [Theory]
    [InlineData("power", "W", "power", "measurement")]
    [InlineData("energy", "kWh", "energy", "total_increasing")]
    [InlineData("current", "A", "current", "measurement")]
    [InlineData("voltage", "V", "voltage", "measurement")]
    public void Measurement_sensors_have_units_and_classes_for_statistics_and_the_energy_dashboard(string key, string unit, string deviceClass, string stateClass)
    {
        var config = Config("sensor", key);
        Assert.Equal($"bmw-wallbox/garage/{key}", S(config, "state_topic"));
        Assert.Equal(unit, S(config, "unit_of_measurement"));
        Assert.Equal(deviceClass, S(config, "device_class"));
        Assert.Equal(stateClass, S(config, "state_class"));
        Assert.False(config.TryGetProperty("command_topic", out _));
    }

    [Theory]
    [InlineData("status")]
    [InlineData("charging_state")]
    [InlineData("limit_source")]
    public void Text_sensors_read_their_state_topic_without_unit(string key)
    {
        var config = Config("sensor", key);
        Assert.Equal($"bmw-wallbox/garage/{key}", S(config, "state_topic"));
        Assert.False(config.TryGetProperty("unit_of_measurement", out _));
        Assert.False(config.TryGetProperty("device_class", out _));
    }

    [Fact]
    public void Binary_sensors_map_our_payloads_to_on_and_off()
    {
        var online = Config("binary_sensor", "online");
        Assert.Equal("bmw-wallbox/garage/connected", S(online, "state_topic"));
        Assert.Equal("true", S(online, "payload_on"));
        Assert.Equal("false", S(online, "payload_off"));
        Assert.Equal("connectivity", S(online, "device_class"));

        var charging = Config("binary_sensor", "charging");
        Assert.Equal("bmw-wallbox/garage/charging_state", S(charging, "state_topic"));
        Assert.Equal("battery_charging", S(charging, "device_class"));
        Assert.Contains("'Charging'", S(charging, "value_template"));
        Assert.Equal("ON", S(charging, "payload_on"));
        Assert.Equal("OFF", S(charging, "payload_off"));
    }

    [Fact]
    public void Current_limit_number_uses_the_configured_range_and_the_set_current_topic()
    {
        var number = Config("number", "current_limit");
        Assert.Equal("bmw-wallbox/garage/set/current", S(number, "command_topic"));
        Assert.Equal("bmw-wallbox/garage/limit", S(number, "state_topic"));
        Assert.Equal(6, number.GetProperty("min").GetDouble());
        Assert.Equal(16, number.GetProperty("max").GetDouble());
        Assert.Equal(1, number.GetProperty("step").GetDouble());
        Assert.Equal("A", S(number, "unit_of_measurement"));
    }

    [Theory]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("start")]
    [InlineData("reboot")]
    public void Buttons_press_onto_their_set_topics(string verb)
    {
        var button = Config("button", verb);
        Assert.Equal($"bmw-wallbox/garage/set/{verb}", S(button, "command_topic"));
        Assert.False(button.TryGetProperty("state_topic", out _));
    }

    [Fact]
    public void Every_key_sent_is_one_Home_Assistant_knows_and_the_config_is_compact()
    {
        var (_, payload) = HomeAssistantDiscovery.Config(Options, "BMW-001", "garage", Boot, new CurrentRange(6, 16), modes: true);
        var unknown = Keys(HomeAssistantView.Device(payload)).Where(k => !HomeAssistantView.KnownKeys.Contains(k)).ToList();
        Assert.Empty(unknown);
        // Abbreviated, with the availability said once and quotes unescaped: 5.6 KB (8.9 KB with full names).
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(payload), 4000, 6000);
        Assert.DoesNotContain("\\u0027", payload);

        static IEnumerable<string> Keys(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject().SelectMany(p => p.NameEquals("components")
                ? p.Value.EnumerateObject().SelectMany(c => Keys(c.Value))
                : Keys(p.Value).Prepend(p.Name)),
            JsonValueKind.Array => e.EnumerateArray().SelectMany(Keys),
            _ => [],
        };
    }

    [Theory]
    [InlineData("garage")]
    [InlineData("Garage \"links\" & <Tor>")]
    [InlineData("Einfahrt Süd")]
    public void Each_station_gets_its_own_names_into_the_shared_part(string name)
    {
        var payload = HomeAssistantDiscovery.Config(Options, "BMW-002", name, Boot, new CurrentRange(6, 16)).Value;
        Assert.DoesNotContain('+', payload); // no stand-in left
        var components = HomeAssistantView.Components(payload);
        var power = components["power"];
        Assert.Equal($"bmw-wallbox/{name}/power", S(power, "state_topic"));
        Assert.Equal("bmw_rules_bmw_002_power", S(power, "unique_id"));
        Assert.Equal($"sensor.wallbox_{HomeAssistantDiscovery.Slug(name)}_power", S(power, "default_entity_id"));
        Assert.Equal($"bmw-wallbox/{name}/connected", power.GetProperty("availability")[1].GetProperty("topic").GetString());
        Assert.Equal($"bmw-wallbox/{name}/set/current", S(components["current_limit"], "command_topic"));
        Assert.Equal($"Wallbox {name}", S(HomeAssistantView.Device(payload).GetProperty("device"), "name"));
        // The shared part is made once: one station's names never reach the next one's config.
        var next = HomeAssistantDiscovery.Config(Options, "BMW-003", "carport", Boot, new CurrentRange(6, 16)).Value;
        Assert.DoesNotContain("bmw_002", next);
        Assert.Contains("bmw-wallbox/carport/power", next);
    }

    [Theory]
    [InlineData("garage", "EUR")]
    [InlineData("Einfahrt \"Süd\"", "CHF")]
    public void The_last_sessions_sensors_join_the_station_device_and_read_its_session_topic(string name, string currency)
    {
        var configs = SessionDiscovery.Configs(Options, "BMW-002", name, currency).ToDictionary(c => c.Key, c => HomeAssistantView.Entity(c.Value));
        Assert.Equal(["energy", "solar_share", "cost"], configs.Keys.Select(t => t.Split('/')[3]["session_".Length..]));
        foreach (var (topic, config) in configs)
        {
            var key = topic.Split('/')[3];
            Assert.Equal($"homeassistant/sensor/bmw_rules_bmw_002/{key}/config", topic);
            Assert.Equal($"bmw_rules_bmw_002_{key}", S(config, "unique_id"));
            Assert.Equal($"sensor.wallbox_{HomeAssistantDiscovery.Slug(name)}_{key}", S(config, "default_entity_id"));
            Assert.Equal($"bmw-wallbox/{name}/session/last", S(config, "state_topic"));
            Assert.Equal(["bmw_rules_bmw_002"], config.GetProperty("device").GetProperty("identifiers").EnumerateArray().Select(i => i.GetString()));
            Assert.Equal($"Wallbox {name}", S(config.GetProperty("device"), "name"));
        }
        Assert.Equal(currency, S(configs["homeassistant/sensor/bmw_rules_bmw_002/session_cost/config"], "unit_of_measurement"));
    }

    [Fact]
    public void Discovery_follows_the_configured_prefix()
    {
        var options = Options with { DiscoveryPrefix = "ha-test" };
        DeviceConfig(options: options);
        Assert.All(HomeAssistantDiscovery.LegacyTopics(options, "BMW-001"), t => Assert.StartsWith("ha-test/", t));
    }
}

using BmwWallbox.Core;
using BmwWallbox.Mqtt.Tests.Infrastructure;
using BmwWallbox.TestKit.Mqtt;
using static BmwWallbox.Mqtt.Tests.Infrastructure.BridgeHarness;

namespace BmwWallbox.Mqtt.Tests;

/// <summary>Station state out, over a real Mosquitto.</summary>
public class StatePublishingTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task A_late_subscriber_sees_every_state_topic_retained()
    {
        await using var harness = new BridgeHarness(External(_broker.Port));
        harness.Controller.SetControl(new ControlState(StationId, 16, "rule:solar", 16, false, []));
        await harness.StartAsync();
        await using (var first = await TestMqttClient.ConnectAsync(_broker.Port, $"{Base}/#"))
            await first.WaitForAsync(Topic("transaction_id"), "tx-1");

        await using var late = await TestMqttClient.ConnectAsync(_broker.Port, $"{Base}/{Station}/+", $"{Base}/status");
        var expected = new Dictionary<string, string>
        {
            ["connected"] = "true",
            ["status"] = "Occupied",
            ["charging_state"] = "Charging",
            ["power"] = "7360.4",
            ["energy"] = "12.345",
            ["current"] = "32",
            ["voltage"] = "230",
            ["limit"] = "16",
            ["limit_source"] = "rule:solar",
            ["transaction_id"] = "tx-1",
        };
        foreach (var (key, value) in expected)
        {
            var message = await late.WaitForAsync(Topic(key));
            Assert.Equal(value, message.Payload);
            Assert.True(message.Retain, $"{key} is not retained");
        }
        var status = await late.WaitForAsync(r => r.Topic == $"{Base}/status");
        Assert.Equal("online", status.Payload);
    }

    [Fact]
    public async Task Unchanged_values_are_not_published_again()
    {
        await using var watcher = await TestMqttClient.ConnectAsync(_broker.Port, $"{Base}/{Station}/+");
        await using var harness = new BridgeHarness(External(_broker.Port));
        await harness.StartAsync();
        await watcher.WaitForAsync(Topic("transaction_id"), "tx-1");

        // Heartbeats and identical meter values change nothing that is published ...
        harness.States.Set(ChargingState(), WallboxEventKind.Heartbeat);
        harness.States.Set(ChargingState(), WallboxEventKind.MeterValues);
        harness.Controller.SetControl(harness.Controller.Control);
        // ... and a real change goes out alone. Publishes keep their order, so once it arrived
        // any repeat of the others would have arrived before it.
        harness.States.Set(ChargingState() with { VoltageV = 231 }, WallboxEventKind.MeterValues);
        await watcher.WaitForAsync(Topic("voltage"), "231");

        foreach (var key in StationTopics.Keys)
            Assert.Equal(key == "voltage" ? 2 : 1, watcher.On(Topic(key)).Count);
        // This box does not switch phases: its topic is cleared once (an external broker may keep a value of an earlier run).
        Assert.Equal("", Assert.Single(watcher.On(Topic("phases"))).Payload);
    }

    [Fact]
    public async Task At_start_the_values_an_external_broker_kept_from_the_last_run_are_cleared_when_no_longer_known()
    {
        // What the last run left retained: the box charging. It went offline while bmw-rules was down.
        await using (var lastRun = await TestMqttClient.ConnectAsync(_broker.Port))
        {
            await lastRun.PublishAsync(Topic("power"), "7360.4", retain: true);
            await lastRun.PublishAsync(Topic("transaction_id"), "tx-old", retain: true);
        }
        await using var harness = new BridgeHarness(External(_broker.Port));
        harness.States.Set(ChargingState() with { Connected = false, Transaction = null, PowerW = null });

        await using var watcher = await TestMqttClient.ConnectAsync(_broker.Port, $"{Base}/{Station}/+");

        await harness.StartAsync(); // the clears are queued before the first connect
        await watcher.WaitForAsync(Topic("power"), "");
        await watcher.WaitForAsync(Topic("transaction_id"), "");

        await using var late = await TestMqttClient.ConnectAsync(_broker.Port, $"{Base}/{Station}/+", $"{Base}/status");
        await late.WaitForAsync($"{Base}/status", "online");
        Assert.DoesNotContain(late.Received, r => r.Topic == Topic("power") || r.Topic == Topic("transaction_id"));
    }

    [Fact]
    public async Task Changes_update_the_topics_and_unknown_values_clear_them()
    {
        await using var watcher = await TestMqttClient.ConnectAsync(_broker.Port, $"{Base}/{Station}/+");
        await using var harness = new BridgeHarness(External(_broker.Port));
        await harness.StartAsync();
        await watcher.WaitForAsync(Topic("transaction_id"), "tx-1");

        harness.Controller.SetControl(new ControlState(StationId, 8, "mode solar", 8, false, [], Phases: 1));
        await watcher.WaitForAsync(Topic("phases"), "1"); // a box that switches, on one phase
        harness.Controller.SetControl(new ControlState(StationId, 0, "mqtt", 0, false, []));
        await watcher.WaitForAsync(Topic("limit_source"), "mqtt");
        await watcher.WaitForAsync(Topic("phases"), "");
        Assert.Equal("0", (await watcher.WaitForAsync(Topic("limit"), "0")).Payload);

        harness.States.Set(ChargingState() with
        {
            Connected = false,
            Transaction = null,
            PowerW = null,
            Status = null,
        }, WallboxEventKind.Disconnected);
        await watcher.WaitForAsync(Topic("connected"), "false");
        await watcher.WaitForAsync(Topic("transaction_id"), "");
        await watcher.WaitForAsync(Topic("power"), "");

        // An empty retained payload removes the topic: a late subscriber gets nothing for it.
        await using var late = await TestMqttClient.ConnectAsync(_broker.Port, $"{Base}/{Station}/+");
        await late.WaitForAsync(Topic("connected"), "false");
        await late.WaitForAsync(Topic("energy"), "12.345");
        Assert.Empty(late.On(Topic("power")));
        Assert.Empty(late.On(Topic("transaction_id")));
        Assert.Empty(late.On(Topic("status")));
    }

    [Fact]
    public async Task While_the_box_is_offline_its_last_power_current_and_voltage_are_not_shown_as_live()
    {
        await using var watcher = await TestMqttClient.ConnectAsync(_broker.Port, $"{Base}/{Station}/+");
        await using var harness = new BridgeHarness(External(_broker.Port));
        await harness.StartAsync();
        await watcher.WaitForAsync(Topic("power"), "7360.4");

        // The last readings are still in the state; the box is gone.
        harness.States.Set(ChargingState() with { Connected = false }, WallboxEventKind.Disconnected);
        await watcher.WaitForAsync(Topic("connected"), "false");
        await watcher.WaitForAsync(Topic("power"), "");
        await watcher.WaitForAsync(Topic("current"), "");
        await watcher.WaitForAsync(Topic("voltage"), "");
        Assert.Equal("12.345", watcher.On(Topic("energy"))[^1].Payload); // the meter reading stays true

        harness.States.Set(ChargingState(), WallboxEventKind.Connected);
        await watcher.WaitForAsync(Topic("connected"), "true");
        var powers = 0;
        Assert.Equal("7360.4", (await watcher.WaitForAsync(r => r.Topic == Topic("power") && ++powers == 3)).Payload); // live, cleared, live again
    }

    [Fact]
    public async Task Discovery_is_one_retained_device_config_that_follows_boot_info()
    {
        await using var harness = new BridgeHarness(External(_broker.Port));
        await harness.StartAsync();
        const string device = "homeassistant/device/bmw_rules_bmw_001/config";
        await using (var first = await TestMqttClient.ConnectAsync(_broker.Port, "homeassistant/#"))
            await first.WaitForAsync(device);

        // Home Assistant (re)starting later still finds it, and nothing per entity.
        await using var ha = await TestMqttClient.ConnectAsync(_broker.Port, "homeassistant/#");
        var config = await ha.WaitForAsync(device);
        Assert.True(config.Retain);
        var seen = HomeAssistantView.Device(config.Payload);
        Assert.Equal("1.2.3", seen.GetProperty("device").GetProperty("sw_version").GetString());
        Assert.Equal("button", seen.GetProperty("components").GetProperty("reboot").GetProperty("platform").GetString());

        harness.States.Set(ChargingState() with { Boot = ChargingState().Boot! with { FirmwareVersion = "1.3.0" } }, WallboxEventKind.Booted);
        var updated = await ha.WaitForAsync(r => r.Topic == device && r.Payload.Contains("1.3.0"));
        Assert.False(updated.Retain); // live update; the broker keeps it retained for the next subscriber
        Assert.All(ha.Received, r => Assert.Equal(device, r.Topic));
    }

    [Fact]
    public async Task Per_entity_configs_of_an_older_version_are_migrated_to_the_device_config_and_cleared()
    {
        // What an older version left retained in the broker: one config per entity, and one of a station since removed.
        // Published under the bridge's own client id, as that version did: the bridge subscribes with "no local" and must still get them.
        const string power = "homeassistant/sensor/bmw_rules_bmw_001/power/config";
        const string reboot = "homeassistant/button/bmw_rules_bmw_001/reboot/config";
        const string removed = "homeassistant/sensor/bmw_rules_gone/power/config";
        const string session = "homeassistant/sensor/bmw_rules_bmw_001/session_energy/config";
        await using (var old = await TestMqttClient.ConnectAsync(_broker.Port, login: null, ClientOptionsFactory.EmbeddedClientId, "unused/#"))
            foreach (var topic in new[] { power, reboot, removed, session })
                await old.PublishAsync(topic, """{"name":"old"}""", retain: true);

        await using var ha = await TestMqttClient.ConnectAsync(_broker.Port, "homeassistant/#");
        await using var harness = new BridgeHarness(External(_broker.Port));
        await harness.StartAsync();

        // In Home Assistant's documented order: migrate the old entity, the device config takes it over, clear the old topic.
        const string device = "homeassistant/device/bmw_rules_bmw_001/config";
        await ha.WaitForAsync(r => r.Topic == power && r.Payload == "" );
        await ha.WaitForAsync(r => r.Topic == reboot && r.Payload == "");
        await ha.WaitForAsync(r => r.Topic == removed && r.Payload == "");
        var sequence = ha.Received.Where(r => r.Topic == power || r.Topic == device).Select(r => (r.Topic, r.Payload)).ToList();
        var migrate = sequence.FindIndex(r => r == (power, """{"migrate_discovery":true}"""));
        var lastDevice = sequence.FindLastIndex(r => r.Topic == device);
        var cleared = sequence.FindIndex(r => r == (power, ""));
        Assert.True(migrate >= 0 && migrate < lastDevice && lastDevice < cleared, string.Join("\n", sequence));

        // The broker keeps the device config and no old config of ours; the last session's sensor is not ours to clear.
        await using var later = await TestMqttClient.ConnectAsync(_broker.Port, "homeassistant/#");
        await later.WaitForAsync(r => r.Topic == device && r.Retain);
        await later.WaitForAsync(r => r.Topic == session && r.Retain);
        Assert.DoesNotContain(later.Received, r => r.Topic is power or reboot or removed);
        Assert.Contains(harness.Logs.Entries, e => e.Message.Contains("moved its Home Assistant discovery"));
    }

    [Fact]
    public async Task Discovery_can_be_switched_off()
    {
        await using var harness = new BridgeHarness(External(_broker.Port, discovery: false));
        await harness.StartAsync();
        await using var all = await TestMqttClient.ConnectAsync(_broker.Port, "#");
        await all.WaitForAsync(Topic("transaction_id"));
        Assert.DoesNotContain(all.Received, r => r.Topic.StartsWith("homeassistant/"));
    }

    [Fact]
    public async Task Graceful_stop_publishes_offline()
    {
        await using var watcher = await TestMqttClient.ConnectAsync(_broker.Port, $"{Base}/status");
        var harness = new BridgeHarness(External(_broker.Port));
        await harness.StartAsync();
        await watcher.WaitForAsync($"{Base}/status", "online");
        await harness.Bridge.StopAsync();
        await watcher.WaitForAsync($"{Base}/status", "offline");
        await harness.DisposeAsync();
    }
}

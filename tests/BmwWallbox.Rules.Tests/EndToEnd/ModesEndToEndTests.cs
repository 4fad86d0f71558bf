using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.SimulatedBox;
using BmwWallbox.TestKit.Mqtt;

namespace BmwWallbox.Rules.Tests.EndToEnd;

/// <summary>Issue 12, charge modes: set from MQTT and Home Assistant, claimed like a rule, 0.1 A steps reaching the box.</summary>
public class ModesEndToEndTests
{
    [Fact]
    public async Task Set_mode_solar_over_mqtt_follows_the_surplus_in_tenths_of_an_ampere_on_the_box()
    {
        await using var h = await DaemonHarness.StartAsync("charging: { mode: now, surplus: solar_power, enable_delay: 0s }");
        await using var hub = await TestMqttClient.ConnectAsync(h.MqttPort, "#");
        await h.ConnectBoxAsync();
        var controller = (Charging.ChargeController)h.Daemon.Controllers.All[0];
        Task Settled() => controller.WhenIdleAsync(CancellationToken.None).WaitAsync(TestTimeouts.Slow);

        Assert.Equal("now", await hub.WaitForAsync("bmw-wallbox/garage/mode"));
        var device = await hub.WaitForAsync(m => m.Topic.StartsWith("homeassistant/device/", StringComparison.Ordinal) && m.Topic.EndsWith("/config", StringComparison.Ordinal));
        var config = HomeAssistantView.Device(device).GetProperty("components").GetProperty("mode");
        Assert.Equal("select", config.GetProperty("platform").GetString());
        Assert.Equal("bmw-wallbox/garage/set/mode", config.GetProperty("command_topic").GetString());
        Assert.Equal("bmw-wallbox/garage/mode", config.GetProperty("state_topic").GetString());
        Assert.Equal(ChargeModeText.All, config.GetProperty("options").EnumerateArray().Select(o => o.GetString()!));
        Assert.Equal("mode now", await hub.WaitForAsync("bmw-wallbox/garage/limit_source"));

        h.Box.PlugIn(new SimulatedCar());
        await hub.WaitForAsync("bmw-wallbox/garage/transaction_id", p => p.Length > 0);
        await Settled();

        await hub.PublishAsync("bmw-wallbox/garage/set/mode", "solar");
        var result = JsonDocument.Parse(await hub.WaitForAsync("bmw-wallbox/garage/result", p => p.Contains("\"mode\""))).RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal("mode solar (was now)", result.GetProperty("reason").GetString());
        await hub.WaitForAsync("bmw-wallbox/garage/mode", p => p == "solar");
        await hub.WaitForAsync("bmw-wallbox/garage/limit_source", p => p == "mode solar");
        await h.Box.WaitForAppliedLimitAsync(0, CancellationToken.None).WaitAsync(TestTimeouts.Slow); // no surplus known: paused
        await Settled();

        var seen = h.WaitForSignalAsync("solar_power", 5000);
        await hub.PublishAsync("home/solar/power", "5000");
        await seen;
        await hub.WaitForAsync("bmw-wallbox/garage/limit", p => p == "7.2"); // 5000 W / (230 V × 3)
        await Settled();
        h.Time.Advance(TimeSpan.FromSeconds(30)); // a raise waits wallbox.min_change_interval after the pause

        await h.Box.WaitForAppliedLimitAsync(7.2, CancellationToken.None).WaitAsync(TestTimeouts.Slow);
        await Settled();
        Assert.Equal((7.2, "mode solar"), (controller.Control.AppliedLimit!.Value, controller.Control.LimitSource));

        await hub.PublishAsync("bmw-wallbox/garage/set/mode", "cloudy");
        var refused = JsonDocument.Parse(await hub.WaitForAsync("bmw-wallbox/garage/result", p => p.Contains("cloudy"))).RootElement;
        Assert.False(refused.GetProperty("ok").GetBoolean());
        Assert.Equal(ChargeMode.Solar, h.Daemon.Runtime.Modes!.ModeOf("garage"));
    }

    [Fact]
    public async Task A_rule_switches_the_mode_and_a_person_still_outranks_it()
    {
        const string rule = """
            - id: mode-at-start
              name: Solar from the start
              when:
                - startup
              then:
                - mode: off
            """;
        await using var h = await DaemonHarness.StartAsync("charging: { mode: now }", new Dictionary<string, string> { ["mode.yaml"] = rule });
        await using var hub = await TestMqttClient.ConnectAsync(h.MqttPort, "bmw-wallbox/#");
        await h.ConnectBoxAsync();

        await hub.WaitForAsync("bmw-wallbox/garage/mode", p => p == "off");
        await hub.WaitForAsync("bmw-wallbox/garage/limit_source", p => p == "mode off");
        await hub.PublishAsync("bmw-wallbox/garage/set/current", "10");
        await hub.WaitForAsync("bmw-wallbox/garage/limit_source", p => p == "mqtt");
        await h.Box.WaitForAppliedLimitAsync(10, CancellationToken.None).WaitAsync(TestTimeouts.Slow);
    }
}

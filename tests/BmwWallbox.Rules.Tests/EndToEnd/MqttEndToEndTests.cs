using System.Text.Json;
using BmwWallbox.SimulatedBox;
using BmwWallbox.TestKit.Mqtt;

namespace BmwWallbox.Rules.Tests.EndToEnd;

/// <summary>Issue "MQTT bridge", done-when: live retained state, discovery, and set/current reaching the box.</summary>
public class MqttEndToEndTests
{
    [Fact]
    public async Task Retained_state_and_discovery_are_published_and_set_current_sets_a_profile_on_the_box()
    {
        await using var h = await DaemonHarness.StartAsync();
        await h.ConnectBoxAsync();
        h.Box.PlugIn(new SimulatedCar());
        await using var hub = await TestMqttClient.ConnectAsync(h.MqttPort, "#");

        Assert.Equal("true", await hub.WaitForAsync("bmw-wallbox/garage/connected", p => p == "true"));
        Assert.Equal("online", await hub.WaitForAsync("bmw-wallbox/status"));
        Assert.Equal(h.Box.TransactionId, await hub.WaitForAsync("bmw-wallbox/garage/transaction_id", p => p.Length > 0));
        var device = await hub.WaitForAsync(m => m.Topic.StartsWith("homeassistant/device/", StringComparison.Ordinal) && m.Topic.EndsWith("/config", StringComparison.Ordinal));
        Assert.Equal("total_increasing", HomeAssistantView.Device(device).GetProperty("components").GetProperty("energy").GetProperty("state_class").GetString());

        await hub.PublishAsync("bmw-wallbox/garage/set/current", "10");

        var result = JsonDocument.Parse(await hub.WaitForAsync("bmw-wallbox/garage/result", p => p.Contains("current"))).RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        await h.Box.WaitForAppliedLimitAsync(10, CancellationToken.None).WaitAsync(TestTimeouts.Slow);
        var control = h.Daemon.Controllers.All[0].Control;
        Assert.Equal((10.0, 10.0, "mqtt"), (control.EffectiveLimit, control.AppliedLimit, control.LimitSource));
    }

    [Fact]
    public async Task An_out_of_range_command_is_rejected_and_changes_nothing_on_the_box()
    {
        await using var h = await DaemonHarness.StartAsync();
        await h.ConnectBoxAsync();
        await using var hub = await TestMqttClient.ConnectAsync(h.MqttPort, "bmw-wallbox/#");
        await hub.WaitForAsync("bmw-wallbox/garage/connected", p => p == "true");

        await hub.PublishAsync("bmw-wallbox/garage/set/current", "ten");

        var result = JsonDocument.Parse(await hub.WaitForAsync("bmw-wallbox/garage/result")).RootElement;
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Contains("number", result.GetProperty("reason").GetString());
        Assert.Equal("default", h.Daemon.Controllers.All[0].Control.LimitSource);
        Assert.Equal(16, h.Box.AppliedLimitAmps);
        Assert.All(h.Box.ReceivedCalls.Where(c => c.Action == "SetChargingProfile"),
            c => Assert.Equal(16, c.Payload!["chargingProfile"]!["chargingSchedule"]![0]!["chargingSchedulePeriod"]![0]!["limit"]!.GetValue<double>()));
    }

    [Fact]
    public async Task A_current_set_while_the_box_is_offline_is_answered_not_ok_yet_kept_and_goes_out_when_it_connects()
    {
        await using var h = await DaemonHarness.StartAsync();
        await using var hub = await TestMqttClient.ConnectAsync(h.MqttPort, "bmw-wallbox/#");
        await hub.WaitForAsync("bmw-wallbox/garage/connected", p => p == "false");

        await hub.PublishAsync("bmw-wallbox/garage/set/current", "10");

        var result = JsonDocument.Parse(await hub.WaitForAsync("bmw-wallbox/garage/result")).RootElement;
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.StartsWith("Wallbox not connected; limit 10 A (mqtt) goes out when it connects; claim 'mqtt' 10 A", result.GetProperty("reason").GetString());
        await h.ConnectBoxAsync();
        Assert.Equal(10, h.Box.AppliedLimitAmps);
        Assert.Equal("mqtt", h.Daemon.Controllers.All[0].Control.LimitSource);
    }

    [Fact]
    public async Task Pause_and_resume_from_home_assistant_are_immediate_and_resume_brings_back_the_current_set()
    {
        await using var h = await DaemonHarness.StartAsync(); // shipped pacing: raises wait 30 s
        await h.ConnectBoxAsync();
        h.Box.PlugIn(new SimulatedCar());
        await using var hub = await TestMqttClient.ConnectAsync(h.MqttPort, "bmw-wallbox/#");
        await hub.WaitForAsync("bmw-wallbox/garage/transaction_id", p => p.Length > 0);

        await hub.PublishAsync("bmw-wallbox/garage/set/current", "10");
        await h.Box.WaitForAppliedLimitAsync(10, CancellationToken.None).WaitAsync(TestTimeouts.Slow);
        await hub.PublishAsync("bmw-wallbox/garage/set/pause", "PRESS");
        await h.Box.WaitForAppliedLimitAsync(0, CancellationToken.None).WaitAsync(TestTimeouts.Slow);
        Assert.Equal("mqtt:pause", await hub.WaitForAsync("bmw-wallbox/garage/limit_source", p => p == "mqtt:pause"));

        await hub.PublishAsync("bmw-wallbox/garage/set/resume", "PRESS");

        // No virtual time passes: the resume is not held back, and the 10 A the person set are back.
        var result = JsonDocument.Parse(await hub.WaitForAsync("bmw-wallbox/garage/result", p => p.Contains("resume"))).RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.DoesNotContain("rate limit", result.GetProperty("reason").GetString());
        await h.Box.WaitForAppliedLimitAsync(10, CancellationToken.None).WaitAsync(TestTimeouts.Slow);
        var control = h.Daemon.Controllers.All[0].Control;
        Assert.Equal((10.0, 10.0, "mqtt"), (control.EffectiveLimit, control.AppliedLimit, control.LimitSource));
    }

    [Fact]
    public async Task Start_authorizes_a_session_the_box_opened_at_plug_in_and_the_car_charges_at_the_effective_limit()
    {
        await using var h = await DaemonHarness.StartAsync();
        await h.ConnectBoxAsync(o => o with { AuthorizationEnabled = true }); // the box asks for authorization (RFID mode)
        await using var hub = await TestMqttClient.ConnectAsync(h.MqttPort, "bmw-wallbox/#");
        h.Box.PlugIn(new SimulatedCar());
        await hub.WaitForAsync("bmw-wallbox/garage/transaction_id", p => p.Length > 0);
        Assert.Equal("EVConnected", await hub.WaitForAsync("bmw-wallbox/garage/charging_state", p => p == "EVConnected"));
        Assert.Equal(0, h.Box.ChargingCurrentAmps);
        var session = h.Box.TransactionId;

        await hub.PublishAsync("bmw-wallbox/garage/set/start", "PRESS");

        var result = JsonDocument.Parse(await hub.WaitForAsync("bmw-wallbox/garage/result", p => p.Contains("start"))).RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        await h.Box.WaitForChargingStateAsync("Charging", CancellationToken.None).WaitAsync(TestTimeouts.Slow);
        Assert.Equal(session, h.Box.TransactionId);
        Assert.Equal(16, h.Box.AppliedLimitAmps); // "charge now": max_current
        Assert.Equal(16, h.Box.ChargingCurrentAmps);
    }

    [Fact]
    public async Task With_mqtt_users_only_a_commanding_user_steers_the_box_and_nobody_fakes_state()
    {
        await using var h = await DaemonHarness.StartAsync(mqttYaml: "users: [{ username: homeassistant, password: ha-pass, can_command: true }, { username: viewer, password: view-pass }]");
        await h.ConnectBoxAsync();

        var anonymous = await Assert.ThrowsAsync<InvalidOperationException>(() => TestMqttClient.ConnectAsync(h.MqttPort, "bmw-wallbox/#"));
        Assert.Contains("BadUserNameOrPassword", anonymous.Message);

        await using var viewer = await TestMqttClient.ConnectAsync(h.MqttPort, "bmw-wallbox/#", ("viewer", "view-pass"));
        await viewer.WaitForAsync("bmw-wallbox/garage/connected", p => p == "true");
        await viewer.PublishAsync("bmw-wallbox/garage/set/current", "6");
        await viewer.PublishAsync("bmw-wallbox/status", "offline");

        await using var ha = await TestMqttClient.ConnectAsync(h.MqttPort, "bmw-wallbox/#", ("homeassistant", "ha-pass"));
        await ha.PublishAsync("bmw-wallbox/garage/set/current", "10");
        var result = JsonDocument.Parse(await ha.WaitForAsync("bmw-wallbox/garage/result")).RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        await h.Box.WaitForAppliedLimitAsync(10, CancellationToken.None).WaitAsync(TestTimeouts.Slow);

        // Only HA's command ran: the viewer's came first, got no result and never reached the box.
        await viewer.WaitForAsync("bmw-wallbox/garage/result");
        Assert.Single(viewer.Payloads("bmw-wallbox/garage/result"));
        Assert.DoesNotContain(h.Box.ReceivedCalls.Where(c => c.Action == "SetChargingProfile"),
            c => c.Payload!["chargingProfile"]!["chargingSchedule"]![0]!["chargingSchedulePeriod"]![0]!["limit"]!.GetValue<double>() == 6);
        // And the status it tried to fake never went out.
        Assert.Equal(["online"], viewer.Payloads("bmw-wallbox/status"));
    }
}


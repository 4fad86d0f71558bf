using System.Text.Json;
using BmwWallbox.SimulatedBox;
using BmwWallbox.TestKit.Mqtt;

namespace BmwWallbox.Rules.Tests.EndToEnd;

/// <summary>The planner wired into the daemon: set/plan over the embedded broker, the plan published retained.</summary>
public class PlanEndToEndTests
{
    [Fact]
    public async Task Set_plan_reaches_the_planner_and_the_plan_is_published()
    {
        await using var h = await DaemonHarness.StartAsync();
        await h.ConnectBoxAsync();
        h.Box.PlugIn(new SimulatedCar());
        await using var hub = await TestMqttClient.ConnectAsync(h.MqttPort, "bmw-wallbox/#");
        await hub.WaitForAsync("bmw-wallbox/garage/transaction_id", p => p.Length > 0);

        await hub.PublishAsync("bmw-wallbox/garage/set/plan", "20kWh@07:00");

        var result = JsonDocument.Parse(await hub.WaitForAsync("bmw-wallbox/garage/result", p => p.Contains("\"plan\""))).RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        var plan = JsonDocument.Parse(await hub.WaitForAsync("bmw-wallbox/garage/plan", p => p.Length > 0)).RootElement;
        Assert.Equal(20, plan.GetProperty("target").GetProperty("energy_kwh").GetDouble());
        Assert.StartsWith("no forecast: charging now", plan.GetProperty("summary").GetString());
        var station = h.Daemon.Controllers.All[0].StationId;
        Assert.True(h.Daemon.Runtime.Charging.Plans.StepAt(station, h.Time.GetUtcNow())!.Amps > 0);
    }

    [Fact]
    public async Task A_plan_set_at_run_time_survives_a_restart_and_a_cleared_one_stays_cleared()
    {
        await using var h = await DaemonHarness.StartAsync("plan: { stations: { garage: { energy_kwh: 10, by: \"06:00\" } } }");
        var plans = () => h.Daemon.Runtime.Charging.Plans;
        Assert.Equal("10 kWh by 06:00", plans().TargetOf("garage")?.ToString()); // the config's standing target

        await using (var hub = await TestMqttClient.ConnectAsync(h.MqttPort, "bmw-wallbox/garage/result", "bmw-wallbox/status"))
        {
            await CommandsHeardAsync(hub);
            await hub.PublishAsync("bmw-wallbox/garage/set/plan", "20kWh@07:00");
            Assert.Contains("\"ok\":true", await hub.WaitForAsync("bmw-wallbox/garage/result", p => p.Contains("\"plan\"")));
        }
        Assert.True(File.Exists(Path.Combine(h.Daemon.DataDir, "plans.json")));

        await h.RestartAsync();
        Assert.Equal("20 kWh by 07:00", plans().TargetOf("garage")?.ToString());
        await using (var hub = await TestMqttClient.ConnectAsync(h.MqttPort, "bmw-wallbox/garage/#", "bmw-wallbox/status"))
        {
            var plan = JsonDocument.Parse(await hub.WaitForAsync("bmw-wallbox/garage/plan", p => p.Length > 0)).RootElement;
            Assert.Equal(20, plan.GetProperty("target").GetProperty("energy_kwh").GetDouble());

            await CommandsHeardAsync(hub);
            await hub.PublishAsync("bmw-wallbox/garage/set/plan", "clear");
            Assert.Contains("plan cleared", await hub.WaitForAsync("bmw-wallbox/garage/result", p => p.Contains("\"plan\"")));
        }

        await h.RestartAsync();
        Assert.Null(plans().TargetOf("garage")); // cleared stays cleared: the config's 10 kWh is not back
    }

    [Fact]
    public async Task A_soc_target_plans_from_the_car_soc_arriving_over_mqtt_and_says_when_there_is_none()
    {
        await using var h = await DaemonHarness.StartAsync(
            "plan: { stations: { garage: { soc_signal: car_soc, battery_kwh: 60 } } }", signalsYaml: "car_soc: { topic: car/soc }");
        await using var hub = await TestMqttClient.ConnectAsync(h.MqttPort, "bmw-wallbox/garage/#", "bmw-wallbox/status");
        await CommandsHeardAsync(hub);

        async Task<JsonElement> PlanAsync(Func<JsonElement, bool> match) =>
            JsonDocument.Parse(await hub.WaitForAsync("bmw-wallbox/garage/plan", p => p.Length > 0 && match(JsonDocument.Parse(p).RootElement))).RootElement;

        // No SoC yet: planned from empty (80 % of 60 kWh), and the plan says so.
        await hub.PublishAsync("bmw-wallbox/garage/set/plan", "80%@07:00");
        var plan = await PlanAsync(_ => true);
        Assert.Equal(80, plan.GetProperty("target").GetProperty("soc").GetDouble());
        Assert.Equal(48, plan.GetProperty("needed_kwh").GetDouble());
        Assert.Equal(JsonValueKind.Null, plan.GetProperty("soc").GetProperty("percent").ValueKind);
        Assert.Contains("no SoC reading from signal 'car_soc': planned from 0 %", plan.GetProperty("summary").GetString());

        // The car reports 30 %: (80 − 30) % of 60 kWh = 30 kWh.
        await hub.PublishAsync("car/soc", "30");
        plan = await PlanAsync(p => p.GetProperty("soc").GetProperty("percent").ValueKind == JsonValueKind.Number);
        Assert.Equal(30, plan.GetProperty("soc").GetProperty("percent").GetDouble());
        Assert.Equal(30, plan.GetProperty("needed_kwh").GetDouble(), 6);
        Assert.Equal("SoC 30 % → 80 % of 60 kWh", plan.GetProperty("soc").GetProperty("note").GetString());
        Assert.DoesNotContain("no SoC", plan.GetProperty("summary").GetString());

        // A new reading re-plans the rest.
        await hub.PublishAsync("car/soc", "55");
        plan = await PlanAsync(p => p.GetProperty("soc").GetProperty("percent") is { ValueKind: JsonValueKind.Number } v && v.GetDouble() == 55);
        Assert.Equal(15, plan.GetProperty("needed_kwh").GetDouble(), 6);
    }

    /// <summary>
    /// The daemon says <c>online</c> only after it subscribed to the command topics: a command published
    /// before that (a busy machine, right after start) would reach nobody.
    /// </summary>
    private static Task CommandsHeardAsync(TestMqttClient hub) => hub.WaitForAsync("bmw-wallbox/status", "online");
}

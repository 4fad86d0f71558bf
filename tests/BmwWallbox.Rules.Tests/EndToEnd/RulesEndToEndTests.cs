using BmwWallbox.SimulatedBox;
using BmwWallbox.TestKit.Mqtt;

namespace BmwWallbox.Rules.Tests.EndToEnd;

/// <summary>Issue "The rules runtime", done-when: the solar-pause example drives the box through MQTT signals.</summary>
public class RulesEndToEndTests
{
    [Fact]
    public async Task Solar_pause_example_pauses_and_resumes_the_box_and_a_broken_edit_changes_nothing()
    {
        var example = await File.ReadAllTextAsync(RepoPaths.Of("examples/rules/solar-pause.yaml"));
        await using var h = await DaemonHarness.StartAsync(ruleFiles: new Dictionary<string, string> { ["solar-pause.yaml"] = example });
        await h.ConnectBoxAsync();
        await using var hub = await TestMqttClient.ConnectAsync(h.MqttPort, "bmw-wallbox/#");
        var controller = h.Daemon.Controllers.All[0];
        h.Box.PlugIn(new SimulatedCar());
        // Each step of the box is handled before virtual time moves: work the controller started
        // after an advance would wait on timers that advance already passed.
        Task Settled() => ((Charging.ChargeController)controller).WhenIdleAsync(CancellationToken.None).WaitAsync(TestTimeouts.Slow);
        await hub.WaitForAsync("bmw-wallbox/garage/transaction_id", p => p.Length > 0);
        await Settled();

        var seen1500 = h.WaitForSignalAsync("solar_power", 1500);
        await hub.PublishAsync("home/solar/power", "1500");
        await seen1500;
        h.Time.Advance(TimeSpan.FromMinutes(2));

        var claimed = await h.WaitForTraceAsync("solar-pause", "claimed");
        Assert.Contains(claimed.Conditions, c => c.Saw.Contains("1500"));
        Assert.Equal(0, h.Box.AppliedLimitAmps);
        Assert.Equal(("solar-pause", 0.0), (controller.Control.LimitSource, controller.Control.EffectiveLimit));
        Assert.Equal(0, h.Box.ReceivedCallCount("RequestStopTransaction"));
        await hub.WaitForAsync("bmw-wallbox/garage/charging_state", p => p == "SuspendedEVSE");
        await Settled();

        var seen3000 = h.WaitForSignalAsync("solar_power", 3000);
        await hub.PublishAsync("home/solar/power", "3000");
        await seen3000;
        h.Time.Advance(TimeSpan.FromMinutes(5));

        var released = await h.WaitForTraceAsync("solar-pause", "released");
        Assert.Contains(released.Conditions, c => c.Saw.Contains("3000"));
        Assert.Equal(16, h.Box.AppliedLimitAmps);
        Assert.Equal("default", controller.Control.LimitSource);

        // The broken edit is logged as an error on purpose.
        h.Logs.AllowErrors(e => e.Message.StartsWith("Rule file error at") || e.Message.StartsWith("Rules not (re)loaded"));
        await File.WriteAllTextAsync(Path.Combine(h.RulesDir, "solar-pause.yaml"), example.Replace("below: 2000", "below: [2000"));
        var reload = await h.Daemon.Rules.ReloadAsync(CancellationToken.None);

        Assert.False(reload.Ok);
        var error = Assert.Single(reload.Errors);
        Assert.EndsWith("solar-pause.yaml", error.File);
        Assert.True(error.Line > 0);
        Assert.Single(h.Daemon.Rules.Stats());
        Assert.Equal(16, h.Box.AppliedLimitAmps);

        Assert.Contains(claimed.Actions, a => a.Outcome == "Accepted");
        Assert.Contains(released.Actions, a => a.Outcome == "Accepted");
    }
}

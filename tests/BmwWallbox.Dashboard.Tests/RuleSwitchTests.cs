using System.Net;
using System.Text;
using System.Text.Json;
using BmwWallbox.TestKit.Mqtt;

namespace BmwWallbox.Dashboard.Tests;

/// <summary>Switching a rule off and on from the dashboard: its claim goes, the choice survives a reload.</summary>
public class RuleSwitchTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_rule_switched_off_releases_its_pause_stays_off_over_a_reload_and_runs_again_when_switched_on()
    {
        var example = await File.ReadAllTextAsync(RepoPaths.Of("examples/rules/solar-pause.yaml"));
        await using var rig = await DashboardRig.StartAsync(ruleFiles: new Dictionary<string, string> { ["solar-pause.yaml"] = example });
        await rig.ConnectBoxAsync();
        await rig.PlugInAndChargeAsync();
        await using var hub = await TestMqttClient.ConnectAsync(rig.MqttPort, "bmw-wallbox/#");
        using var http = rig.Http();
        var seen = rig.WaitForSignalAsync("solar_power", 500);
        await hub.PublishAsync("home/solar/power", "500");
        await seen;
        var claimed = rig.WaitForTraceAsync("solar-pause", "claimed");
        rig.Time.Advance(TimeSpan.FromMinutes(2));
        await claimed;
        await rig.Box.WaitForAppliedLimitAsync(0).WaitAsync(TestTimeouts.Slow);
        await rig.SettledAsync();

        var off = JsonDocument.Parse(await (await http.PostAsync("/api/rules/solar-pause/enabled", Json("""{"enabled": false}"""))).Content.ReadAsStringAsync()).RootElement;

        Assert.True(off.GetProperty("ok").GetBoolean(), off.ToString());
        await rig.SettledAsync();
        rig.Time.Advance(TimeSpan.FromSeconds(30)); // wallbox.min_change_interval paces a rule's change
        await rig.Box.WaitForAppliedLimitAsync(16).WaitAsync(TestTimeouts.Slow);
        Assert.Contains("solar-pause", await File.ReadAllTextAsync(Path.Combine(rig.Dir, "data", "rule-switches.json")));
        await rig.Daemon.Rules.ReloadAsync(CancellationToken.None);
        var rule = Assert.Single(rig.Daemon.Rules.Stats());
        Assert.True(rule.SwitchedOff);
        rig.Time.Advance(TimeSpan.FromMinutes(3)); // solar is still low: a running rule would pause again
        await rig.SettledAsync();
        Assert.Empty(rig.Controller.Control.Claims);

        var claimedAgain = rig.WaitForTraceAsync("solar-pause", "claimed");
        var on = JsonDocument.Parse(await (await http.PostAsync("/api/rules/solar-pause/enabled", Json("""{"enabled": true}"""))).Content.ReadAsStringAsync()).RootElement;
        Assert.True(on.GetProperty("ok").GetBoolean(), on.ToString());
        rig.Time.Advance(TimeSpan.FromMinutes(2));
        await claimedAgain;
        Assert.False(Assert.Single(rig.Daemon.Rules.Stats()).SwitchedOff);
    }

    [Fact]
    public async Task A_broken_rule_file_is_listed_with_its_place_and_message()
    {
        await using var rig = await DashboardRig.StartAsync(ruleFiles: new Dictionary<string, string>
        {
            ["broken.yaml"] = "- id: broken\n  when: [{ signal: no_such_signal }]\n  then: [{ log: hi }]\n",
        });
        rig.Logs.AllowErrors(e => e.Message.StartsWith("Rule file error at") || e.Message.StartsWith("Rules not (re)loaded"));
        using var http = rig.Http();

        var state = JsonDocument.Parse(await http.GetStringAsync("/api/state")).RootElement;

        var problem = Assert.Single(state.GetProperty("ruleProblems").EnumerateArray());
        Assert.EndsWith("broken.yaml", problem.GetProperty("file").GetString());
        Assert.Equal(2, problem.GetProperty("line").GetInt32());
        Assert.Contains("no_such_signal", problem.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unknown_rule_or_a_bad_body_changes_nothing()
    {
        var example = await File.ReadAllTextAsync(RepoPaths.Of("examples/rules/solar-pause.yaml"));
        await using var rig = await DashboardRig.StartAsync(ruleFiles: new Dictionary<string, string> { ["solar-pause.yaml"] = example });
        using var http = rig.Http();

        var unknown = JsonDocument.Parse(await (await http.PostAsync("/api/rules/nope/enabled", Json("""{"enabled": false}"""))).Content.ReadAsStringAsync()).RootElement;
        var bad = await http.PostAsync("/api/rules/solar-pause/enabled", Json("""{"enabled": "no"}"""));

        Assert.Equal((false, "No loaded rule 'nope'"), (unknown.GetProperty("ok").GetBoolean(), unknown.GetProperty("message").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.False(Assert.Single(rig.Daemon.Rules.Stats()).SwitchedOff);
        Assert.False(File.Exists(Path.Combine(rig.Dir, "data", "rule-switches.json")));
    }
}

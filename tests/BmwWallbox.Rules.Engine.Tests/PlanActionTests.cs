using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Tests.Support;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>The plan action in YAML and wallbox.setPlan() in scripts: they set the planner's target of the rule's station.</summary>
public sealed class PlanActionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-rules-plan-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Yaml_plan_sets_and_clears_the_target_and_the_trace_says_so()
    {
        await using var h = new Harness();
        var fired = h.NextTrace("weekday");
        await h.StartAsync("""
            - id: weekday
              when: [startup]
              then:
                - plan: { energy_kwh: 30, by: "06:30" }
                - plan: 80%@07:00
                - plan: clear
            """);
        var trace = await fired;

        Assert.Equal(
            [("cp-1", (PlanTarget?)new PlanTarget(30, null, new TimeOnly(6, 30)), "rule weekday"), ("cp-1", new PlanTarget(null, 80, new TimeOnly(7, 0)), "rule weekday"), ("cp-1", null, "rule weekday")],
            h.Plans.Calls);
        Assert.Equal(["plan 30 kWh by 06:30", "plan 80 % by 07:00", "plan clear"], trace.Actions.Select(a => a.Action));
        Assert.All(trace.Actions, a => Assert.Equal("Accepted", a.Outcome));
    }

    [Fact]
    public async Task Script_set_plan_takes_an_object_a_text_or_null()
    {
        await using var h = new Harness();
        var fired = h.NextTrace("js");
        await h.StartAsync("""
            - id: js
              when: [startup]
              then:
                - script: |
                    const a = await wallbox.setPlan({ energy_kwh: 12.5, by: "05:45" });
                    const b = await wallbox.setPlan("20kWh@07:00");
                    const c = await wallbox.setPlan({ energy_kwh: -1 });
                    await wallbox.setPlan(null);
                    log.info(a.ok, b.ok, c.ok, c.message);
            """);
        var trace = await fired;

        Assert.Equal([new PlanTarget(12.5, null, new TimeOnly(5, 45)), new PlanTarget(20, null, new TimeOnly(7, 0)), null],
            h.Plans.Calls.Select(c => c.Target));
        Assert.Contains(trace.Actions, a => a.Action == "log.info" && a.Message == "true true false not done: energy_kwh must be more than 0 and at most 1000, got -1");
    }

    [Theory]
    [InlineData("- plan: { energy_kwh: 30, by: 7h }", "'by' must be a time of day")]
    [InlineData("- plan: { energy_kwh: lots }", "'energy_kwh' must be a number")]
    [InlineData("- plan: { by: \"07:00\" }", "needs exactly one of energy_kwh or soc")]
    [InlineData("- plan: { energy_kwh: 30, at: \"07:00\" }", "at")]
    [InlineData("- plan: soon", "Plan must look like")]
    public void Bad_plan_actions_are_reported_when_loading(string action, string message)
    {
        File.WriteAllText(Path.Combine(_dir, "rules.yaml"), $"- id: p\n  when: [startup]\n  then:\n    {action}\n");
        var errors = RuleSetLoader.Validate(_dir, [], ["garage"]);
        Assert.Contains(errors, e => e.Message.Contains(message));
    }
}

namespace BmwWallbox.Simulation.Tests.Runs;

/// <summary>A simulation shows no log: a rule whose runs fail says so in the summary, not only "Rules fired".</summary>
public sealed class RuleErrorRunTests
{
    [Fact]
    public async Task A_script_that_throws_is_counted_with_its_first_error_and_a_rule_that_works_is_not()
    {
        using var h = new SimulationHarness();
        File.WriteAllText(Path.Combine(h.RulesDir, "mixed.yaml"), """
            - id: broken
              when: { every: 1h }
              then:
                - script: |
                    const phases = wallbox.phases;
                    wallbox.nope.x = phases;
            - id: fine
              when: { every: 1h }
              then:
                - log: "hourly"
            """);

        var result = await h.RunAsync("sunny-day.csv");

        var errors = Assert.Single(result.Summary.RuleErrors);
        Assert.Equal("broken", errors.Key);
        Assert.Equal(result.Summary.RulesFired["broken"], errors.Value.Count);
        Assert.True(errors.Value.Count >= 23, $"{errors.Value.Count} failed runs");
        Assert.InRange(errors.Value.FirstAt, result.Summary.From, result.Summary.From.AddHours(1));
        Assert.Contains("rule 'broken', script line 2", errors.Value.FirstError);
        Assert.EndsWith("TypeError: Cannot convert undefined or null to object, in `wallbox.nope.x = phases;`", errors.Value.FirstError);
        Assert.Contains($"Rule errors         ⚠ broken failed {errors.Value.Count}×, first at 2026-06-21 01:00: rule 'broken'",
            result.Summary.ToText(SimulationHarness.Berlin));
        Assert.Contains("\"first_error\": \"rule 'broken', script line 2", result.Summary.ToJson()); // as written, not \u0027
    }

    [Fact]
    public async Task Without_failures_the_summary_has_no_rule_errors_line()
    {
        using var h = new SimulationHarness("solar-pause.yaml");

        var result = await h.RunAsync("sunny-day.csv");

        Assert.Empty(result.Summary.RuleErrors);
        Assert.DoesNotContain("Rule errors", result.Summary.ToText(SimulationHarness.Berlin));
    }
}

using System.Text.Json;
using BmwWallbox.Rules.Engine.Tracing;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>Every run explains itself: kept per rule, published on MQTT, counted in the stats.</summary>
public sealed class TraceTests
{
    [Fact]
    public async Task A_trace_holds_trigger_values_conditions_and_the_controllers_answers()
    {
        await using var h = new Harness();
        h.Signals.Set("house_power", 1000);
        await h.StartAsync("""
            - id: cap
              name: Cap when the house is busy
              when: [{ signal: house_power, above: 4000 }]
              if: [{ signal: house_power, below: 9000 }]
              then:
                - set_current: { amps: 10, for: 1h }
                - log: capped
            """);
        var fired = h.NextTrace("cap");
        h.Signals.Set("house_power", 4500);
        var trace = await fired;

        Assert.Equal(("cap", 1L, "done", null), (trace.RuleId, trace.Run, trace.Result, trace.Error));
        Assert.Equal(("signal", "house_power above 4000"), (trace.Trigger.Kind, trace.Trigger.Description));
        Assert.Equal("4500", trace.Trigger.Values["value"]);
        Assert.Equal(new TraceCondition("signal house_power below 9000", "true", "4500"), Assert.Single(trace.Conditions));
        Assert.Equal(
            [("set_current 10 A for 1h", "Accepted", "limit 10 A from cap"), ("log", "Done", "capped")],
            trace.Actions.Select(a => (a.Action, a.Outcome, a.Message)));
        var claim = h.Controller.Claims["cap"];
        Assert.Equal((10.0, Harness.Monday0800Utc.AddHours(1), "Cap when the house is busy"), (claim.Amps, claim.ExpiresAt!.Value, claim.Reason!));
    }

    [Fact]
    public async Task Traces_are_published_retained_as_json_with_utc_timestamps()
    {
        await using var h = new Harness();
        var fired = h.NextTrace("hello");
        await h.StartAsync("- id: hello\n  when: [startup]\n  then: [{ log: \"it's Müller's car\" }]\n");
        await fired;
        var json = h.Bus.Retained["bmw-wallbox/rules/hello/trace"];
        Assert.Contains("it's Müller's car", json); // read in MQTT tools as written, not as it\u0027s M\u00FCller
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal("hello", root.GetProperty("ruleId").GetString());
        Assert.Equal("2025-06-02T08:00:00.000Z", root.GetProperty("startedAt").GetString());
        Assert.Equal("startup", root.GetProperty("trigger").GetProperty("kind").GetString());
        Assert.Equal("it's Müller's car", root.GetProperty("actions")[0].GetProperty("message").GetString());
        Assert.Equal(h.Runtime.Traces("hello").Single().Run, TraceJson.Deserialize(json)!.Run);
    }

    [Fact]
    public async Task The_log_line_of_a_run_names_an_empty_list_as_none()
    {
        await using var h = new Harness();
        var fired = h.NextTrace("hello");
        await h.StartAsync("- id: hello\n  when: [startup]\n  then: [{ log: hi }]\n");
        await fired;
        Assert.Contains(h.Logs.Lines, l => l.EndsWith("Rule hello run 1 (startup): done. Conditions: none. Actions: log: Done (hi).", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_huge_trigger_payload_is_quoted_short_in_the_trace_but_the_script_gets_all_of_it()
    {
        await using var h = new Harness();
        await h.StartAsync("- id: big\n  when: [{ mqtt: big }]\n  then: [{ script: \"log.info(trigger.payload.length)\" }]\n");
        var run = h.NextTrace("big");
        await h.PublishAsync("big", new string('x', 8 << 20));
        var trace = await run;

        Assert.Equal($"{new string('x', 1024)}… (8388608 characters)", trace.Trigger.Values["payload"]);
        Assert.Equal("8388608", trace.Actions[0].Message);
        Assert.InRange(h.Bus.Retained["bmw-wallbox/rules/big/trace"].Length, 1, 4096);
    }

    [Fact]
    public async Task Only_the_last_n_traces_are_kept()
    {
        await using var h = new Harness(options: new RulesOptions { TraceHistory = 3 });
        await h.StartAsync("- id: many\n  when: [{ mqtt: go }]\n  then: [{ log: x }]\n");
        for (var i = 0; i < 5; i++)
        {
            var run = h.NextTrace("many");
            await h.PublishAsync("go", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await run;
        }
        Assert.Equal([3L, 4L, 5L], h.Runtime.Traces("many").Select(t => t.Run));
    }

    [Fact]
    public async Task Stats_count_runs_errors_and_show_rules_that_never_fired()
    {
        await using var h = new Harness();
        await h.StartAsync("""
            - id: fails
              when: [{ mqtt: go }]
              then: [{ script: "null.x;" }]
            - id: never
              when: [{ mqtt: never }]
              then: [{ log: x }]
            - id: level
              while: { signal: price, above: 1 }
              limit: pause
            """);
        var failed = h.NextTrace("fails");
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.PublishAsync("go", "");
        await failed;
        var stats = h.Runtime.Stats().ToDictionary(s => s.RuleId);
        Assert.Equal((1L, 1L, "error"), (stats["fails"].Runs, stats["fails"].Errors, stats["fails"].LastResult));
        Assert.Equal(Harness.Monday0800Utc.AddMinutes(1), stats["fails"].LastFiredAt);
        Assert.Contains("TypeError", stats["fails"].LastError);
        Assert.Null(stats["never"].LastFiredAt);
        Assert.Equal(("level", false, null), (stats["level"].Kind, stats["level"].Holding, stats["level"].LastFiredAt));
        Assert.Equal(7, stats["level"].Line);
    }
}

using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Tracing;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>if: conditions, what the trace says they saw, and that nothing acts on unavailable data.</summary>
public sealed class ConditionTests
{
    private static async Task<RuleTrace> RunOnce(Harness h, string conditions, string then = "[{ log: ran }]")
    {
        await h.StartAsync($"- id: c\n  when: [{{ mqtt: go }}]\n  if:\n{conditions}\n  then: {then}\n");
        var trace = h.NextTrace("c");
        await h.PublishAsync("go", "");
        return await trace;
    }

    [Fact]
    public async Task Numeric_and_state_conditions_record_what_they_saw()
    {
        await using var h = new Harness();
        h.Signals.Set("house_power", 4200);
        h.Wallboxes.Connect();
        h.Wallboxes.StartTransaction(state: ChargingState.SuspendedEV, powerW: 0);
        var trace = await RunOnce(h, """
                - signal: house_power
                  above: 4000
                  below: 5000
                - wallbox: charging_state
                  is: [Charging, SuspendedEV]
                - wallbox: power
                  above: 100
            """);
        Assert.Equal("conditions not met", trace.Result);
        Assert.Equal(
            [("signal house_power above 4000 below 5000", "true", "4200"), ("wallbox charging_state is Charging or SuspendedEV", "true", "SuspendedEV"), ("wallbox power above 100", "false", "0")],
            trace.Conditions.Select(c => (c.Condition, c.Result, c.Saw)));
        Assert.Empty(trace.Actions);
    }

    [Fact]
    public async Task A_condition_on_an_unavailable_signal_is_false_and_says_unavailable()
    {
        await using var h = new Harness();
        var trace = await RunOnce(h, "    - signal: price\n      below: 0.2");
        Assert.Equal("conditions unavailable", trace.Result);
        var condition = Assert.Single(trace.Conditions);
        Assert.Equal(("unavailable", "unavailable (no value yet)"), (condition.Result, condition.Saw));
        Assert.Empty(trace.Actions);
    }

    [Fact]
    public async Task A_stale_signal_is_reported_as_stale()
    {
        await using var h = new Harness();
        h.Signals.Set("solar_power", 1234);
        h.Clock.Advance(TimeSpan.FromMinutes(6));
        var trace = await RunOnce(h, "    - signal: solar_power\n      below: 2000");
        Assert.StartsWith("unavailable (stale: last 1234 at 08:00:00Z", trace.Conditions[0].Saw);
    }

    [Theory]
    [InlineData("2025-06-07T21:30:00Z", true)]  // Saturday 23:30 Berlin: inside 22:00-06:00 and a listed day
    [InlineData("2025-06-08T03:59:00Z", true)]  // Sunday 05:59 Berlin
    [InlineData("2025-06-08T04:00:00Z", false)] // Sunday 06:00 Berlin: before is exclusive
    [InlineData("2025-06-06T21:30:00Z", false)] // Friday 23:30 Berlin: not a listed day
    public async Task A_time_window_spans_midnight_and_checks_weekdays(string utc, bool expected)
    {
        await using var h = new Harness(start: DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));
        var trace = await RunOnce(h, "    - after: \"22:00\"\n      before: \"06:00\"\n      weekdays: [sat, sun]");
        Assert.Equal(expected ? "done" : "conditions not met", trace.Result);
    }

    [Fact]
    public async Task And_or_not_combine_with_three_valued_logic()
    {
        await using var h = new Harness();
        h.Signals.Set("house_power", 100);
        // or(unavailable, true) = true; not(house > 500) = true; and(...) = true
        var trace = await RunOnce(h, """
                - or:
                    - signal: price
                      below: 0.2
                    - signal: house_power
                      below: 200
                - not:
                    signal: house_power
                    above: 500
                - and:
                    - signal: house_power
                      available: true
                    - signal: grid_power
                      available: false
            """);
        Assert.Equal("done", trace.Result);
        Assert.Contains(trace.Conditions, c => c.Condition == "  signal price below 0.2" && c.Result == "unavailable");
        Assert.Equal(("or", "true"), (trace.Conditions[0].Condition, trace.Conditions[0].Result)); // a group comes before its members
        Assert.Equal("  signal price below 0.2", trace.Conditions[1].Condition);
        Assert.Contains(trace.Conditions, c => c.Condition == "not" && c.Result == "true");
    }

    [Fact]
    public async Task An_unavailable_signal_the_decision_did_not_rest_on_does_not_block_actions()
    {
        await using var h = new Harness();
        h.Signals.Set("house_power", 100);
        var trace = await RunOnce(h, "    - or:\n        - signal: price\n          below: 0.2\n        - signal: house_power\n          below: 200", "[pause]");
        Assert.Equal("done", trace.Result);
        Assert.Equal(["claim c 0"], h.Controller.Calls);
    }

    [Fact]
    public async Task A_js_condition_is_evaluated_with_the_live_api()
    {
        await using var h = new Harness();
        h.Signals.Set("grid_power", -3000);
        var trace = await RunOnce(h, "    - js: \"signals.grid_power < -2000 && trigger.topic === 'go' && !wallbox.connected\"");
        Assert.Equal("done", trace.Result);
        Assert.Equal("true", trace.Conditions[0].Result);
    }

    [Fact]
    public async Task A_js_condition_reading_an_unavailable_signal_is_unavailable()
    {
        await using var h = new Harness();
        var trace = await RunOnce(h, "    - js: \"signals.price === null || signals.price < 0.2\"");
        Assert.Equal("conditions unavailable", trace.Result);
        Assert.Equal("true, but read unavailable signal price", trace.Conditions[0].Saw);
    }

    [Fact]
    public async Task A_js_condition_may_look_but_not_act()
    {
        await using var h = new Harness();
        var trace = await RunOnce(h, "    - js: \"wallbox.pause()\"");
        Assert.Equal("error", trace.Result);
        Assert.Contains("wallbox.pause() is an action; a condition may only look", trace.Error);
        Assert.Empty(h.Controller.Calls);
    }

    [Fact]
    public async Task Controller_actions_are_skipped_visibly_when_a_signal_the_rule_decided_on_went_stale()
    {
        await using var h = new Harness();
        h.Signals.Set("solar_power", 3000);
        await h.StartAsync("""
            - id: dip
              when: [{ signal: solar_power, below: 1000 }]
              then:
                - delay: 6m
                - pause
                - log: after
            """);
        var trace = h.NextTrace("dip");
        h.Signals.Set("solar_power", 500);
        await h.Timers.ArmedAsync(TimeSpan.FromMinutes(6));
        h.Clock.Advance(TimeSpan.FromMinutes(6)); // no new value for 6 min: solar_power is stale
        var t = await trace;
        var skipped = Assert.Single(t.Actions, a => a.Action == "pause");
        Assert.Equal(("Skipped", "not done: signal solar_power is unavailable"), (skipped.Outcome, skipped.Message));
        Assert.Empty(h.Controller.Calls);
        Assert.Equal("done", t.Result);
    }
}

using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>Each trigger kind, in virtual time, observed through the traces the rule leaves.</summary>
public sealed class TriggerTests : IAsyncLifetime
{
    private readonly Harness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _h.DisposeAsync();

    private const string LogAction = "  then: [{ log: fired }]\n";

    [Fact]
    public async Task A_threshold_trigger_fires_on_the_crossing_not_on_every_sample()
    {
        _h.Signals.Set("solar_power", 3000); // baseline: already above → no firing at start
        await _h.StartAsync("- id: sunny\n  when: [{ signal: solar_power, above: 2000 }]\n" + LogAction);

        var first = _h.NextTrace("sunny");
        _h.Signals.Set("solar_power", 2500); // still above: no crossing
        _h.Signals.Set("solar_power", 1500); // leaves
        _h.Signals.Set("solar_power", 2100); // crosses → fires
        _h.Signals.Set("solar_power", 2200); // still above
        var trace = await first;
        Assert.Equal("2100", trace.Trigger.Values["value"]);

        var second = _h.NextTrace("sunny");
        _h.Signals.Set("solar_power", 100);
        _h.Signals.Set("solar_power", 2300);
        Assert.Equal("2300", (await second).Trigger.Values["value"]);
        Assert.Equal(2, _h.Runtime.Traces("sunny").Count);
    }

    [Fact]
    public async Task A_threshold_with_for_fires_only_after_holding_and_a_dip_restarts_the_wait()
    {
        _h.Signals.Set("solar_power", 1000);
        await _h.StartAsync("- id: sunny\n  when: [{ signal: solar_power, above: 2000, for: 2m }]\n" + LogAction);

        _h.Signals.Set("solar_power", 2500);
        _h.Clock.Advance(TimeSpan.FromSeconds(90));
        _h.Signals.Set("solar_power", 1900); // dip before 2m: cancels
        _h.Signals.Set("solar_power", 2600);
        var fired = _h.NextTrace("sunny");
        _h.Clock.Advance(TimeSpan.FromSeconds(119));
        Assert.False(fired.IsCompleted);
        Assert.Empty(_h.Runtime.Traces("sunny"));
        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        var trace = await fired;
        Assert.Equal(Harness.Monday0800Utc.AddSeconds(90 + 120), trace.StartedAt);
        Assert.Equal("solar_power above 2000 for 2m", trace.Trigger.Description);
    }

    [Fact]
    public async Task A_signal_change_trigger_sees_a_value_turning_stale()
    {
        _h.Signals.Set("price", 0.3);
        await _h.StartAsync("- id: price-lost\n  when: [{ signal: price, to: unavailable }]\n" + LogAction);
        var fired = _h.NextTrace("price-lost");
        _h.Clock.Advance(TimeSpan.FromHours(2));
        Assert.True(_h.Signals.Get("price").Available); // exactly stale_after: still on time
        _h.Clock.Advance(TimeSpan.FromSeconds(1)); // more than stale_after 2h without a value
        var trace = await fired;
        Assert.Equal("0.3", trace.Trigger.Values["from"]);
        Assert.Equal("unavailable", trace.Trigger.Values["to"]);
    }

    [Fact]
    public async Task A_wallbox_state_trigger_with_from_to_for()
    {
        _h.Wallboxes.Connect();
        _h.Wallboxes.StartTransaction(state: ChargingState.Charging);
        await _h.StartAsync("- id: car-full\n  when: [{ wallbox: charging_state, from: Charging, to: SuspendedEV, for: 1m }]\n" + LogAction);

        _h.Wallboxes.SetChargingState(ChargingState.SuspendedEV);
        _h.Clock.Advance(TimeSpan.FromSeconds(30));
        _h.Wallboxes.SetChargingState(ChargingState.Charging); // back before 1m: nothing
        _h.Wallboxes.SetChargingState(ChargingState.SuspendedEV);
        var fired = _h.NextTrace("car-full");
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        var trace = await fired;
        Assert.Equal(("Charging", "SuspendedEV"), (trace.Trigger.Values["from"], trace.Trigger.Values["to"]));
        Assert.Single(_h.Runtime.Traces("car-full"));
    }

    [Fact]
    public async Task A_wallbox_event_trigger_fires_for_its_event_only()
    {
        await _h.StartAsync("- id: plugged\n  when: [{ event: transaction_started }]\n" + LogAction);
        var fired = _h.NextTrace("plugged");
        _h.Wallboxes.Connect();
        _h.Wallboxes.StartTransaction();
        var trace = await fired;
        Assert.Equal("transaction_started", trace.Trigger.Values["event"]);
        Assert.Equal("tx-1", trace.Trigger.Values["transactionId"]);
        Assert.Single(_h.Runtime.Traces("plugged"));
    }

    [Fact]
    public async Task An_at_trigger_fires_daily_at_local_wall_time()
    {
        // 08:00 UTC = 10:00 Berlin (CEST). 17:00 Berlin = 15:00 UTC.
        await _h.StartAsync("- id: five\n  when: [{ at: \"17:00\" }]\n" + LogAction);
        var fired = _h.NextTrace("five");
        _h.Clock.Advance(TimeSpan.FromHours(7));
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 15, 0, 0, TimeSpan.Zero), (await fired).StartedAt);
        var next = _h.NextTrace("five");
        _h.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(new DateTimeOffset(2025, 6, 3, 15, 0, 0, TimeSpan.Zero), (await next).StartedAt);
    }

    [Fact]
    public async Task A_cron_trigger_with_seconds_and_its_own_time_zone()
    {
        await _h.StartAsync("- id: tick\n  when: [{ cron: \"30 0 12 * * *\", time_zone: UTC }]\n" + LogAction);
        var fired = _h.NextTrace("tick");
        _h.Clock.Advance(TimeSpan.FromHours(4));
        Assert.False(fired.IsCompleted);
        _h.Clock.Advance(TimeSpan.FromSeconds(30));
        var trace = await fired;
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 12, 0, 30, TimeSpan.Zero), trace.StartedAt);
        Assert.Equal("2025-06-02T12:00:30Z", trace.Trigger.Values["scheduled"]);
    }

    [Fact]
    public async Task An_every_trigger_fires_each_interval()
    {
        await _h.StartAsync("- id: poll\n  when: [{ every: 30s }]\n  mode: queued\n" + LogAction);
        var three = _h.Traces("poll", 3);
        _h.Clock.Advance(TimeSpan.FromSeconds(30));
        _h.Clock.Advance(TimeSpan.FromSeconds(30));
        _h.Clock.Advance(TimeSpan.FromSeconds(30));
        var traces = await three;
        Assert.Equal([30, 60, 90], traces.Select(t => (int)(t.StartedAt - Harness.Monday0800Utc).TotalSeconds).Order());
    }

    [Fact]
    public async Task An_mqtt_trigger_matches_wildcards_and_payload()
    {
        await _h.Bus.PublishAsync("home/garage/button", "on", retain: true); // retained before load: not replayed
        await _h.StartAsync("- id: button\n  when: [{ mqtt: home/+/button, payload: \"on\" }]\n" + LogAction);
        var fired = _h.NextTrace("button");
        await _h.PublishAsync("home/garage/button", "off");
        await _h.PublishAsync("home/garage/other", "on");
        await _h.PublishAsync("home/hall/button", "on");
        var trace = await fired;
        Assert.Equal("home/hall/button", trace.Trigger.Values["topic"]);
        Assert.Single(_h.Runtime.Traces("button"));
    }

    [Fact]
    public async Task A_startup_trigger_fires_once_at_start()
    {
        var fired = _h.NextTrace("hello");
        await _h.StartAsync("- id: hello\n  when: [startup]\n" + LogAction);
        Assert.Equal("startup", (await fired).Trigger.Kind);
    }

    [Fact]
    public async Task Any_of_several_triggers_fires_the_rule()
    {
        await _h.StartAsync("- id: multi\n  when:\n    - mqtt: a\n    - signal: house_power\n      above: 100\n" + LogAction + "  mode: queued\n");
        var two = _h.Traces("multi", 2);
        await _h.PublishAsync("a", "x");
        _h.Signals.Set("house_power", 50);
        _h.Signals.Set("house_power", 500);
        Assert.Equal(["mqtt", "signal"], (await two).Select(t => t.Trigger.Kind).Order());
    }
}

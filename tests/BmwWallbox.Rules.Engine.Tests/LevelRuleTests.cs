using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>while: → limit: with for: on both edges, an until: hysteresis band, and claims composing.</summary>
public sealed class LevelRuleTests : IAsyncLifetime
{
    private readonly Harness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _h.DisposeAsync();

    private const string SolarPause = """
        - id: solar-pause
          while: { signal: solar_power, below: 2000 }
          until: { signal: solar_power, above: 2500 }
          for: { on: 2m, off: 5m }
          limit: pause
        """;

    /// <summary>Keeps a fresh value (solar_power goes stale after 5 min) for some minutes.</summary>
    private void Hold(double watts, int minutes)
    {
        for (var i = 0; i < minutes; i++)
        {
            _h.Signals.Set("solar_power", watts);
            _h.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        _h.Signals.Set("solar_power", watts);
    }

    [Fact]
    public async Task Claims_after_for_on_holds_through_the_band_and_releases_after_for_off()
    {
        _h.Signals.Set("solar_power", 3000);
        await _h.StartAsync(SolarPause);
        Assert.Empty(_h.Controller.Claims);

        Hold(1500, 1);
        Hold(3000, 1); // a cloud shorter than 2 min: nothing
        Assert.Empty(_h.Controller.Claims);

        var claimed = _h.NextTrace("solar-pause");
        Hold(1500, 2);
        var claim = await claimed;
        Assert.Equal("claimed", claim.Result);
        Assert.Equal("while held for 2m", claim.Trigger.Description);
        Assert.Equal(0, _h.Controller.Claims["solar-pause"].Amps);
        Assert.Equal(ClaimKind.Rule, _h.Controller.Claims["solar-pause"].Kind);
        Assert.Equal(0, _h.Controller.Limit);

        Hold(2200, 10); // inside the band: keeps the pause
        Hold(2600, 4);
        Hold(2400, 1); // fell back under 2.5 kW before 5 min: the wait starts over
        Hold(2600, 4);
        Assert.True(_h.Controller.Claims.ContainsKey("solar-pause"));

        var released = _h.NextTrace("solar-pause");
        Hold(2600, 1);
        var release = await released;
        Assert.Equal("released", release.Result);
        Assert.Empty(_h.Controller.Claims);
        Assert.Equal(["claim solar-pause 0", "release solar-pause"], _h.Controller.Calls);
    }

    [Fact]
    public async Task A_signal_arriving_exactly_every_stale_after_stays_available_so_a_for_as_long_as_its_interval_completes()
    {
        // A sensor publishing every 5 min, exactly its stale_after. In virtual time its next value comes after
        // the timers due at that instant (Advance runs them first): the signal must still be available then,
        // else it flickers stale at every boundary and drops the pending for: each time.
        _h.Signals.Set("solar_power", 1500);
        var claimed = _h.NextTrace("solar-pause");
        await _h.StartAsync(SolarPause);
        _h.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("claimed", (await claimed).Result);
        _h.Signals.Set("solar_power", 3000);

        var released = _h.NextTrace("solar-pause");
        _h.Clock.Advance(TimeSpan.FromMinutes(5)); // for.off 5m: due together with the stale timer of the 3000
        Assert.True(_h.Signals.Get("solar_power").Available);
        var release = await released;
        Assert.Equal("released", release.Result);
        Assert.Equal(Harness.Monday0800Utc.AddMinutes(10), release.StartedAt);
        _h.Signals.Set("solar_power", 3000);
    }

    [Fact]
    public async Task Unavailable_data_keeps_the_claim_it_has()
    {
        _h.Signals.Set("solar_power", 500);
        var claimed = _h.NextTrace("solar-pause");
        await _h.StartAsync(SolarPause.Replace("for: { on: 2m, off: 5m }", "for: 0s"));
        await claimed;
        _h.Clock.Advance(TimeSpan.FromMinutes(30)); // solar_power stale: unknown, not "not below 2000"
        Assert.True(_h.Controller.Claims.ContainsKey("solar-pause"));
        Assert.Single(_h.Runtime.Traces("solar-pause"));
        Assert.True(_h.Runtime.Stats().Single().Holding);
    }

    [Fact]
    public async Task Without_until_the_claim_ends_when_while_stops_holding()
    {
        _h.Signals.Set("house_power", 9000);
        var claimed = _h.NextTrace("house-cap");
        await _h.StartAsync("- id: house-cap\n  while: { signal: house_power, above: 8000 }\n  limit: 6\n");
        await claimed;
        Assert.Equal(6, _h.Controller.Limit);
        var released = _h.NextTrace("house-cap");
        _h.Signals.Set("house_power", 7000);
        await released;
        Assert.Equal(32, _h.Controller.Limit);
    }

    [Fact]
    public async Task A_time_window_rule_follows_the_clock_each_minute()
    {
        // Monday 10:00 Berlin: weekday, outside 22:00-06:00 → pause at once.
        var claimed = _h.NextTrace("night-only");
        await _h.StartAsync("- id: night-only\n  while: [{ weekdays: mon-fri }, { not: { after: \"22:00\", before: \"06:00\" } }]\n  limit: pause\n");
        Assert.Equal("claimed", (await claimed).Result);

        var released = _h.NextTrace("night-only");
        for (var i = 0; i < 12 * 60; i++) _h.Clock.Advance(TimeSpan.FromMinutes(1)); // to 22:00 Berlin
        var release = await released;
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 20, 0, 0, TimeSpan.Zero), release.StartedAt);
        Assert.Contains(release.Conditions, c => c.Condition.Contains("after 22:00:00 before 06:00:00") && c.Result == "true");
    }

    [Fact]
    public async Task Claims_of_several_rules_compose_by_minimum()
    {
        _h.Signals.Set("solar_power", 3000);
        _h.Signals.Set("price", 0.10);
        await _h.StartAsync("""
            - id: evening-cap
              when: [{ mqtt: cap }]
              then: [{ set_current: 10 }]
            - id: price-pause
              while: { signal: price, above: 0.25 }
              limit: pause
            """);
        var capped = _h.NextTrace("evening-cap");
        await _h.PublishAsync("cap", "");
        await capped;
        Assert.Equal((10, "evening-cap"), (_h.Controller.Limit, _h.Controller.Control.LimitSource));

        var paused = _h.NextTrace("price-pause");
        _h.Signals.Set("price", 0.30);
        await paused;
        Assert.Equal((0, "price-pause"), (_h.Controller.Limit, _h.Controller.Control.LimitSource));

        var resumed = _h.NextTrace("price-pause");
        _h.Signals.Set("price", 0.12);
        await resumed;
        Assert.Equal((10, "evening-cap"), (_h.Controller.Limit, _h.Controller.Control.LimitSource));
    }
}

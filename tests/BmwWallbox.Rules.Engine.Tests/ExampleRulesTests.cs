using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Tracing;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>The shipped default rules and every example validate, load and do what their comments say.</summary>
public sealed class ExampleRulesTests
{
    private static readonly string[] Signals = ["solar_power", "grid_power", "house_power", "price"];
    private static readonly string Examples = Path.Combine(RepoPaths.Root, "examples", "rules");

    [Theory]
    [InlineData("rules")]
    [InlineData("examples/rules")]
    public void The_shipped_rule_folders_validate(string folder)
    {
        var dir = Path.Combine(RepoPaths.Root, folder);
        Assert.NotEmpty(Directory.GetFiles(dir, "*.yaml"));
        Assert.Empty(RuleSetLoader.Validate(dir, Signals, ["garage"]));
    }

    [Fact]
    public void The_examples_include_every_required_kind() =>
        Assert.Equal(["cheap-night.yaml", "departure.yaml", "evening-cap.yaml", "price-threshold.yaml", "solar-follow.yaml", "solar-pause.yaml", "solar-surplus.yaml"],
            Directory.GetFiles(Examples, "*.yaml").Select(Path.GetFileName).Order());

    private static async Task<Harness> Load(string example, DateTimeOffset? start = null, Action<Harness>? before = null)
    {
        var h = new Harness(start);
        before?.Invoke(h);
        await h.StartAsync(File.ReadAllText(Path.Combine(Examples, example)));
        return h;
    }

    [Fact]
    public async Task The_default_rules_only_log_and_publish()
    {
        await using var h = new Harness();
        var started = h.NextTrace("startup-hello");
        await h.StartAsync(File.ReadAllText(Path.Combine(RepoPaths.Root, "rules", "default.yaml")));
        await started;
        Assert.Equal("rules runtime started", h.Bus.Retained["bmw-wallbox/rules/started"]);
        var session = h.NextTrace("session-log");
        h.Wallboxes.Connect();
        h.Wallboxes.StartTransaction();
        Assert.Equal("done", (await session).Result);
        Assert.Empty(h.Controller.Calls);
    }

    [Fact]
    public async Task Solar_pause_pauses_below_2kW_and_resumes_above_2_5kW()
    {
        await using var h = await Load("solar-pause.yaml", before: h => h.Signals.Set("solar_power", 4000));
        var claimed = h.NextTrace("solar-pause");
        for (var i = 0; i < 3; i++) { h.Signals.Set("solar_power", 1500); h.Clock.Advance(TimeSpan.FromMinutes(1)); }
        await claimed;
        Assert.Equal((0, "solar-pause"), (h.Controller.Limit, h.Controller.Control.LimitSource));

        for (var i = 0; i < 6; i++) { h.Signals.Set("solar_power", 2300); h.Clock.Advance(TimeSpan.FromMinutes(1)); }
        Assert.Equal(0, h.Controller.Limit); // inside the band
        var released = h.NextTrace("solar-pause");
        for (var i = 0; i < 6; i++) { h.Signals.Set("solar_power", 2700); h.Clock.Advance(TimeSpan.FromMinutes(1)); }
        await released;
        Assert.Equal(32, h.Controller.Limit);
    }

    [Fact]
    public async Task Solar_pause_steps_back_in_the_weekday_departure_window()
    {
        // Monday 05:10 Berlin = 03:10 UTC, dark: the departure window wins.
        await using var h = await Load("solar-pause.yaml", new DateTimeOffset(2025, 6, 2, 3, 10, 0, TimeSpan.Zero), h => h.Signals.Set("solar_power", 0));
        for (var i = 0; i < 5; i++) { h.Signals.Set("solar_power", 0); h.Clock.Advance(TimeSpan.FromMinutes(1)); }
        Assert.Empty(h.Controller.Calls);
        var claimed = h.NextTrace("solar-pause");
        for (var i = 0; i < 140; i++) { h.Signals.Set("solar_power", 0); h.Clock.Advance(TimeSpan.FromMinutes(1)); } // past 07:30
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 5, 32, 0, TimeSpan.Zero), (await claimed).StartedAt); // 07:30 + for.on 2m
    }

    [Fact]
    public async Task Evening_cap_claims_10A_at_17_until_22()
    {
        await using var h = await Load("evening-cap.yaml");
        var fired = h.NextTrace("evening-cap");
        h.Clock.Advance(TimeSpan.FromHours(7)); // 10:00 → 17:00 Berlin
        var trace = await fired;
        Assert.Equal("done", trace.Result);
        var claim = h.Controller.Claims["evening-cap"];
        Assert.Equal((10.0, new DateTimeOffset(2025, 6, 2, 20, 0, 0, TimeSpan.Zero)), (claim.Amps, claim.ExpiresAt!.Value));
    }

    [Fact]
    public async Task Cheap_night_pauses_on_weekdays_outside_22_to_6()
    {
        Task<RuleTrace>? claimed = null;
        await using var h = await Load("cheap-night.yaml", before: h => claimed = h.NextTrace("cheap-night"));
        Assert.Equal("claimed", (await claimed!).Result); // Monday 10:00
        Assert.Equal(0, h.Controller.Limit);
        var released = h.NextTrace("cheap-night", t => t.Result == "released");
        for (var i = 0; i < 12 * 60; i++) h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new DateTimeOffset(2025, 6, 2, 20, 0, 0, TimeSpan.Zero), (await released).StartedAt);
        Assert.Equal(32, h.Controller.Limit);
        var again = h.NextTrace("cheap-night", t => t.Result == "claimed");
        for (var i = 0; i < 8 * 60; i++) h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new DateTimeOffset(2025, 6, 3, 4, 0, 0, TimeSpan.Zero), (await again).StartedAt); // Tuesday 06:00
    }

    [Fact]
    public async Task Price_threshold_pauses_while_expensive_with_hysteresis_and_announces_cheap_power()
    {
        await using var h = await Load("price-threshold.yaml", before: h => h.Signals.Set("price", 0.28));
        var paused = h.NextTrace("price-pause");
        h.Signals.Set("price", 0.31);
        await paused;
        Assert.Equal(0, h.Controller.Limit);
        h.Signals.Set("price", 0.28); // between 0.27 and 0.30: keeps the pause
        Assert.Equal(["claim price-pause 0"], h.Controller.Calls);

        var resumed = h.NextTrace("price-pause");
        var notice = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Bus.Subscribe("home/notify/wallbox", (_, payload) => notice.TrySetResult(payload));
        h.Signals.Set("price", 0.12);
        await resumed;
        Assert.Equal(32, h.Controller.Limit);
        Assert.Contains("cheap", await notice.Task.WaitAsync(TestTimeouts.Guard));
    }

    [Fact]
    public async Task Solar_surplus_follows_export_with_6A_minimum_and_delayed_pause()
    {
        await using var h = await Load("solar-surplus.yaml");
        h.Wallboxes.Connect();
        h.Wallboxes.StartTransaction(powerW: 0);

        async Task<RuleTrace> Sample(double gridW)
        {
            h.Signals.Set("grid_power", gridW);
            var run = h.NextTrace("solar-surplus");
            h.Clock.Advance(TimeSpan.FromSeconds(30));
            return await run;
        }

        await Sample(-5000); // 5 kW export, car idle: 5000 / 690 = 7 A
        Assert.Equal(7, h.Controller.Claims["solar-surplus"].Amps);

        await Sample(-2000); // 2 kW: 2 A < 6 A — first low sample, no pause yet
        await Sample(-2000);
        Assert.Equal(7, h.Controller.Limit);
        var paused = await Sample(-2000); // third low sample in a row
        Assert.Equal(0, h.Controller.Limit);
        Assert.Contains(paused.Actions, a => a.Action == "wallbox.pause()" && a.Outcome == "Accepted");

        await Sample(-9000); // high once: stays paused
        Assert.Equal(0, h.Controller.Limit);
        await Sample(-9000); // twice: 13 A
        Assert.Equal(13, h.Controller.Limit);

        h.Clock.Advance(TimeSpan.FromMinutes(6)); // grid_power stale
        var blind = h.NextTrace("solar-surplus");
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Contains((await blind).Actions, a => a.Action == "log.warn" && a.Message.Contains("unavailable"));
        Assert.Equal(13, h.Controller.Limit);
    }

    [Fact]
    public async Task Solar_follow_computes_the_current_from_export_and_car_power_and_pauses_below_min()
    {
        await using var h = new Harness(modes: new FixedInstallation(new Installation(3, 230, 6, 16)));
        h.Signals.Set("grid_power", -5000);
        await h.StartAsync(File.ReadAllText(Path.Combine(Examples, "solar-follow.yaml")));
        Assert.Empty(h.Controller.Claims); // no car yet

        var claimed = h.NextTrace("solar-follow");
        h.Wallboxes.Connect();
        h.Wallboxes.StartTransaction(powerW: 0);
        await claimed;
        Assert.Equal(6.8, h.Controller.Claims["solar-follow"].Amps); // (5000 - 300) W / 230 V / 3 phases = 6.81 A

        var charging = h.NextTrace("solar-follow");
        h.Signals.Set("grid_power", -7000); // 2 kW more export, the car still idle
        await charging;
        Assert.Equal(9.7, h.Controller.Claims["solar-follow"].Amps);

        var deficit = h.NextTrace("solar-follow");
        h.Signals.Set("grid_power", 4000); // importing: (-4000 + 0 - 300) / 690 < 6 A
        await deficit;
        Assert.Equal(0, h.Controller.Limit);
    }

    [Fact]
    public async Task Departure_releases_and_starts_charging_at_5_on_weekdays()
    {
        // Monday 04:00 Berlin = 02:00 UTC; car plugged in, no transaction.
        await using var h = await Load("departure.yaml", new DateTimeOffset(2025, 6, 2, 2, 0, 0, TimeSpan.Zero), h => h.Wallboxes.Connect());
        var fired = h.NextTrace("departure");
        h.Clock.Advance(TimeSpan.FromHours(1));
        var trace = await fired;
        Assert.Equal("done", trace.Result);
        Assert.Equal(["release departure", "start departure"], h.Controller.Calls);
    }
}

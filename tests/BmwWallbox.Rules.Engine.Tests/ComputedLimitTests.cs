using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>
/// A level rule whose limit is an expression: re-computed on every input change while held, rounded down to
/// 0.1 A, a pause below the minimum current and while an input is unavailable, and reported by validate at the
/// character that is wrong.
/// </summary>
public sealed class ComputedLimitTests : IAsyncLifetime
{
    // One phase, 230 V, 6–16 A.
    private readonly Harness _h = new(modes: new FixedInstallation(new Installation(1, 230, 6, 16)));

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _h.DisposeAsync();

    private const string Follow = """
        - id: follow
          name: Follow the surplus
          while: { wallbox: connected, is: true }
          limit: "(solar_power - house_power) / 230 / wallbox.phases"
        """;

    private async Task<ClaimRequest> After(Action change)
    {
        var traced = _h.NextTrace("follow");
        change();
        await traced;
        return _h.Controller.Claims["follow"];
    }

    [Fact]
    public async Task The_limit_follows_its_inputs_rounded_down_to_a_tenth_of_an_amp_and_pauses_below_min_or_without_data()
    {
        _h.Signals.Set("solar_power", 3000);
        _h.Signals.Set("house_power", 500);
        await _h.StartAsync(Follow);

        var claim = await After(() => _h.Wallboxes.Connect());
        Assert.Equal(10.8, claim.Amps); // 2500 W / 230 V = 10.87 A
        Assert.Equal("follow", _h.Controller.Control.LimitSource);
        Assert.Equal("Follow the surplus: (solar_power - house_power) / 230 / wallbox.phases = 10.87 A", claim.Reason);

        claim = await After(() => _h.Signals.Set("solar_power", 2000));
        Assert.Equal(6.5, claim.Amps);

        _h.Signals.Set("solar_power", 2001); // still 6.5 A: nothing is claimed again
        Assert.Equal(["claim follow 10.8", "claim follow 6.5"], _h.Controller.Calls);

        var stale = _h.NextTrace("follow");
        _h.Clock.Advance(TimeSpan.FromMinutes(6)); // solar_power goes stale (stale_after 5m)
        var trace = await stale;
        Assert.Equal("claimed", trace.Result);
        Assert.Equal(0, _h.Controller.Claims["follow"].Amps);
        Assert.Contains("solar_power unavailable: pause", trace.Actions.Single().Action);

        claim = await After(() => _h.Signals.Set("solar_power", 4000));
        Assert.Equal(15.2, claim.Amps);

        claim = await After(() => _h.Signals.Set("solar_power", 1500)); // 1000 W: 4.35 A
        Assert.Equal(0, claim.Amps);
        Assert.EndsWith("= 4.35 A, below min 6 A: pause", claim.Reason);

        var released = _h.NextTrace("follow");
        _h.Wallboxes.Change("cp-1", WallboxEventKind.Disconnected, s => s with { Connected = false });
        Assert.Equal("released", (await released).Result);
        Assert.Empty(_h.Controller.Claims);
    }

    [Fact]
    public async Task A_signal_name_alone_is_a_limit()
    {
        _h.Signals.Set("price", 12.34); // a signal that carries amperes
        await _h.StartAsync("- id: follow\n  while: { wallbox: connected, is: true }\n  limit: price\n");
        var claim = await After(() => _h.Wallboxes.Connect());
        Assert.Equal(12.3, claim.Amps);
    }

    [Fact]
    public async Task A_reload_keeps_the_claim_and_claims_again_only_when_the_value_changed()
    {
        _h.Signals.Set("solar_power", 3000);
        _h.Signals.Set("house_power", 500);
        await _h.StartAsync(Follow);
        await After(() => _h.Wallboxes.Connect());

        var reloaded = _h.NextTrace("follow");
        _h.Write("rules.yaml", Follow.Replace("- house_power)", "- house_power - 230)"));
        Assert.True((await _h.Runtime.ReloadAsync(CancellationToken.None)).Ok);
        await reloaded;
        Assert.Equal(["claim follow 10.8", "claim follow 9.8"], _h.Controller.Calls);
    }
}

using BmwWallbox.Charging.Strategies;

namespace BmwWallbox.Charging.Tests.Modes;

/// <summary>
/// The solar strategy's shipped defaults (README "How solar follows the surplus"): it starts once the surplus covers
/// enable_share (75 %) of the minimum power for enable_delay (15 s), holds the minimum while the surplus covers
/// disable_share (55 %), and pauses disable_delay (1 min) after it fell below. Virtual time: each decision carries its now.
/// </summary>
public class SolarShareTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly PowerConversion ThreePhase = new(230, 3); // 6 A = 4140 W: 75 % = 3105 W, 55 % = 2277 W

    private static SolarStrategy Solar(ModeOptions? options = null) => new(options ?? new ModeOptions(), 6, 16, ThreePhase);

    private static StrategyDecision At(IModeStrategy s, TimeSpan after, double? surplus) => s.Decide(new StrategyInput(T0 + after, surplus, Plugged: true));

    private static StrategyDecision Running(SolarStrategy solar, double surplus = 6000)
    {
        At(solar, TimeSpan.Zero, surplus);
        return At(solar, TimeSpan.FromSeconds(15), surplus);
    }

    [Fact]
    public void Starts_at_the_minimum_once_the_surplus_covered_three_quarters_of_it_for_the_enable_delay()
    {
        var solar = Solar();
        Assert.Equal(0, At(solar, TimeSpan.Zero, 3000).Amps); // 72 %: not even counting
        var waiting = At(solar, TimeSpan.FromSeconds(1), 3200);
        Assert.Equal(0, waiting.Amps);
        Assert.Equal(T0 + TimeSpan.FromSeconds(16), waiting.RecheckAt);
        var started = At(solar, TimeSpan.FromSeconds(16), 3200);
        Assert.Equal(6, started.Amps); // 3200 W covers 77 %: the minimum, the rest (940 W) from the grid
        Assert.Contains("holding min", started.Reason);
    }

    [Fact]
    public void A_surplus_shorter_than_the_enable_delay_does_not_start()
    {
        // Right after a pause the grid meter is ahead of the box's meter: "-grid + charger" shows the old car power as surplus for a few seconds.
        var solar = Solar();
        Assert.Equal(0, At(solar, TimeSpan.Zero, 5300).Amps);
        Assert.Equal(0, At(solar, TimeSpan.FromSeconds(3), 1200).Amps);
        Assert.Equal(0, At(solar, TimeSpan.FromSeconds(15), 1200).Amps);
        Assert.Equal(0, At(solar, TimeSpan.FromSeconds(20), 1200).Amps);
    }

    [Fact]
    public void Holds_the_minimum_without_a_deadline_while_the_surplus_covers_the_disable_share()
    {
        var solar = Solar();
        Assert.Equal(8.6, Running(solar).Amps);
        var hold = At(solar, TimeSpan.FromMinutes(1), 2600); // 63 % of 4140 W
        Assert.Equal(6, hold.Amps);
        Assert.Null(hold.RecheckAt); // no timer runs: this is not a deficit
        Assert.Equal(6, At(solar, TimeSpan.FromMinutes(30), 2600).Amps);
    }

    [Fact]
    public void Below_the_disable_share_it_pauses_after_the_disable_delay_and_a_recovery_in_time_keeps_it_running()
    {
        var solar = Solar();
        Running(solar);
        var deficit = At(solar, TimeSpan.FromMinutes(1), 1000);
        Assert.Equal(6, deficit.Amps);
        Assert.Equal(T0 + TimeSpan.FromMinutes(2), deficit.RecheckAt);
        Assert.Equal(6, At(solar, TimeSpan.FromMinutes(1.5), 2500).Amps); // back above 55 %: the deficit is over
        At(solar, TimeSpan.FromMinutes(1.75), 1000);
        Assert.Equal(6, At(solar, TimeSpan.FromMinutes(2.7), 1000).Amps);
        var paused = At(solar, TimeSpan.FromMinutes(2.75), 1000);
        Assert.Equal(0, paused.Amps);
        Assert.Contains("paused", paused.Reason);
    }

    [Fact]
    public void Never_draws_more_than_the_surplus_above_the_minimum()
    {
        // The grid energy it takes is the least the minimum current forces: at or above the minimum power it follows the surplus, floored to 0.1 A.
        var solar = Solar();
        Running(solar);
        foreach (var surplus in new[] { 2500.0, 3000, 4140, 4200, 5000, 7777, 11040, 20000 })
        {
            var amps = At(solar, TimeSpan.FromMinutes(1), surplus).Amps;
            Assert.True(amps * 690 <= Math.Max(surplus, 4140) + 1e-9, $"{amps} A at {surplus} W");
            Assert.True(amps is >= 6 and <= 16);
        }
    }

    [Fact]
    public void Shares_of_one_are_evccs_rule()
    {
        var solar = Solar(new ModeOptions { EnableShare = 1, DisableShare = 1 });
        Assert.Equal(0, At(solar, TimeSpan.Zero, 4000).Amps);
        Assert.Equal(0, At(solar, TimeSpan.FromSeconds(30), 4000).Amps);
        At(solar, TimeSpan.FromMinutes(1), 4200);
        Assert.Equal(6, At(solar, TimeSpan.FromMinutes(1.25), 4200).Amps);
        Assert.NotNull(At(solar, TimeSpan.FromMinutes(2), 4000).RecheckAt); // below the full minimum: the disable delay runs
    }

    [Fact]
    public void Bad_shares_are_reported_at_their_key()
    {
        Assert.Empty(new ModeOptions().Problems());
        Assert.Equal("charging.enable_share", Assert.Single(new ModeOptions { EnableShare = -0.1 }.Problems()).Key);
        Assert.Equal("charging.disable_share", Assert.Single(new ModeOptions { DisableShare = double.NaN }.Problems()).Key);
        var inverted = Assert.Single(new ModeOptions { EnableShare = 0.5, DisableShare = 0.8 }.Problems());
        Assert.Equal("charging.disable_share", inverted.Key);
        Assert.Contains("above charging.enable_share", inverted.Message);
    }
}

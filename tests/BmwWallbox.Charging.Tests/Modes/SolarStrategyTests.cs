using BmwWallbox.Charging.Strategies;

namespace BmwWallbox.Charging.Tests.Modes;

/// <summary>The solar and minsolar strategies on their own, in virtual time (each decision carries its "now").</summary>
public class SolarStrategyTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly PowerConversion ThreePhase = new(230, 3); // 6 A = 4140 W
    private static readonly PowerConversion OnePhase = new(230, 1);   // 6 A = 1380 W

    private static SolarStrategy Solar(PowerConversion? power = null, ModeOptions? options = null)
        => new(options ?? ModeOptions.Evcc, 6, 16, power ?? ThreePhase);

    private static StrategyDecision At(IModeStrategy s, TimeSpan after, double? surplus, bool plugged = true)
        => s.Decide(new StrategyInput(T0 + after, surplus, plugged));

    [Fact]
    public void Starts_only_after_the_surplus_covered_the_minimum_for_the_enable_delay()
    {
        var solar = Solar();
        Assert.Equal(0, At(solar, TimeSpan.Zero, 4000).Amps); // below 4140 W: not even counting
        var waiting = At(solar, TimeSpan.FromSeconds(10), 5000);
        Assert.Equal(0, waiting.Amps);
        Assert.Equal(T0 + TimeSpan.FromSeconds(70), waiting.RecheckAt);
        Assert.Equal(0, At(solar, TimeSpan.FromSeconds(69), 5000).Amps);
        Assert.Equal(7.2, At(solar, TimeSpan.FromSeconds(70), 5000).Amps); // 5000 / 690 = 7.25 → 7.2 (never above the surplus)
    }

    [Fact]
    public void A_dip_below_the_minimum_restarts_the_enable_delay()
    {
        var solar = Solar();
        At(solar, TimeSpan.Zero, 5000);
        At(solar, TimeSpan.FromSeconds(30), 3000);
        Assert.Equal(0, At(solar, TimeSpan.FromSeconds(61), 5000).Amps);
        Assert.Equal(7.2, At(solar, TimeSpan.FromSeconds(121), 5000).Amps);
    }

    [Fact]
    public void Follows_the_surplus_in_tenths_of_an_ampere_between_min_and_max()
    {
        var solar = Solar();
        At(solar, TimeSpan.Zero, 5000);
        At(solar, TimeSpan.FromMinutes(1), 5000);
        Assert.Equal(9.4, At(solar, TimeSpan.FromMinutes(2), 6500).Amps);  // 9.42
        Assert.Equal(16, At(solar, TimeSpan.FromMinutes(3), 20000).Amps); // max
        Assert.Equal(6, At(solar, TimeSpan.FromMinutes(4), 4000).Amps);   // below min: hold min
    }

    [Fact]
    public void Holds_the_minimum_through_a_passing_cloud_and_pauses_after_the_disable_delay()
    {
        var solar = Solar();
        At(solar, TimeSpan.Zero, 6000);
        At(solar, TimeSpan.FromMinutes(1), 6000);
        var cloud = At(solar, TimeSpan.FromMinutes(2), 1000);
        Assert.Equal(6, cloud.Amps);
        Assert.Equal(T0 + TimeSpan.FromMinutes(5), cloud.RecheckAt);
        Assert.Equal(6, At(solar, TimeSpan.FromMinutes(4), 1000).Amps);
        Assert.Equal(8.6, At(solar, TimeSpan.FromMinutes(4.5), 6000).Amps); // sun back before 3 min: no cycle
        At(solar, TimeSpan.FromMinutes(5), 1000);
        Assert.Equal(6, At(solar, TimeSpan.FromMinutes(7.9), 1000).Amps);
        var paused = At(solar, TimeSpan.FromMinutes(8), 1000);
        Assert.Equal(0, paused.Amps);
        Assert.Contains("paused", paused.Reason);
        // Paused, it needs the enable delay again.
        Assert.Equal(0, At(solar, TimeSpan.FromMinutes(8.5), 6000).Amps);
    }

    /// <summary>Charging from T0; at 10 min a cloud leaving 1500 W pauses the car; the sun is back <paramref name="cloud"/> after it began.</summary>
    private static SolarStrategy AfterAPausingCloud(TimeSpan cloud)
    {
        var solar = Solar(options: new ModeOptions()); // disable_delay 1 min, ride_through 10 min taking at most 3000 W from the grid
        At(solar, TimeSpan.Zero, 6000);
        At(solar, TimeSpan.FromSeconds(15), 6000);
        At(solar, TimeSpan.FromMinutes(10), 1500);
        Assert.Equal(0, At(solar, TimeSpan.FromMinutes(11), 1500).Amps);
        At(solar, TimeSpan.FromMinutes(10) + cloud, 6000);
        Assert.Equal(8.6, At(solar, TimeSpan.FromMinutes(10) + cloud + TimeSpan.FromSeconds(15), 6000).Amps); // after the enable delay
        return solar;
    }

    [Fact]
    public void After_a_dip_that_passed_quickly_the_next_one_as_short_is_held_through()
    {
        var solar = AfterAPausingCloud(TimeSpan.FromMinutes(10));

        // The next cloud is held for as long as the last one lasted, plus the delay: a 10-minute one passes without a pause.
        var cloud = At(solar, TimeSpan.FromMinutes(40), 1500);
        Assert.Equal(6, cloud.Amps);
        Assert.Equal(T0 + TimeSpan.FromMinutes(51), cloud.RecheckAt);
        Assert.Contains("riding out a cloud (the last passed in 10m)", cloud.Reason);
        Assert.Equal(6, At(solar, TimeSpan.FromMinutes(50), 1500).Amps);
        Assert.Equal(8.6, At(solar, TimeSpan.FromMinutes(50.5), 6000).Amps);
    }

    [Fact]
    public void A_dip_that_would_take_more_than_ride_through_grid_is_not_ridden_out()
    {
        var solar = AfterAPausingCloud(TimeSpan.FromMinutes(10));

        At(solar, TimeSpan.FromMinutes(40), 1500);
        // The cloud thickens to 1000 W: holding 4140 W would take 3140 W from the grid.
        Assert.Equal(0, At(solar, TimeSpan.FromMinutes(41), 1000).Amps);
    }

    [Fact]
    public void On_one_phase_even_a_deep_dip_is_ridden_out()
    {
        var solar = Solar(OnePhase, new ModeOptions()); // the minimum is 1380 W: holding it never takes more than that
        At(solar, TimeSpan.Zero, 2000);
        At(solar, TimeSpan.FromSeconds(15), 2000);
        At(solar, TimeSpan.FromMinutes(10), 0);
        Assert.Equal(0, At(solar, TimeSpan.FromMinutes(11), 0).Amps);
        At(solar, TimeSpan.FromMinutes(15), 2000);
        Assert.Equal(8.6, At(solar, TimeSpan.FromMinutes(15.25), 2000).Amps);

        Assert.Equal(6, At(solar, TimeSpan.FromMinutes(30), 0).Amps);
        Assert.Equal(6, At(solar, TimeSpan.FromMinutes(35.5), 0).Amps); // 5 min + 1 min
        Assert.Equal(0, At(solar, TimeSpan.FromMinutes(36), 0).Amps);
    }

    [Fact]
    public void After_a_long_dip_the_next_one_gets_the_disable_delay_only()
    {
        var solar = AfterAPausingCloud(TimeSpan.FromMinutes(30)); // longer than ride_through

        Assert.Equal(T0 + TimeSpan.FromMinutes(51), At(solar, TimeSpan.FromMinutes(50), 1500).RecheckAt);
        Assert.Equal(0, At(solar, TimeSpan.FromMinutes(51), 1500).Amps);
    }

    [Fact]
    public void On_one_phase_the_same_surplus_charges()
    {
        var onePhase = Solar(OnePhase);
        At(onePhase, TimeSpan.Zero, 1500);
        Assert.Equal(6.5, At(onePhase, TimeSpan.FromMinutes(1), 1500).Amps); // 1500 / 230 = 6.52
        var threePhase = Solar(ThreePhase);
        At(threePhase, TimeSpan.Zero, 1500);
        Assert.Equal(0, At(threePhase, TimeSpan.FromMinutes(1), 1500).Amps);
    }

    [Fact]
    public void Every_plug_in_starts_afresh()
    {
        var solar = Solar();
        At(solar, TimeSpan.Zero, 6000);
        Assert.Equal(8.6, At(solar, TimeSpan.FromMinutes(1), 6000).Amps);
        Assert.Equal(0, At(solar, TimeSpan.FromMinutes(2), 6000, plugged: false).Amps);
        Assert.Equal(0, At(solar, TimeSpan.FromMinutes(3), 6000).Amps); // plugged again: waits the enable delay
        Assert.Equal(8.6, At(solar, TimeSpan.FromMinutes(4), 6000).Amps);
    }

    [Fact]
    public void Without_a_surplus_reading_it_does_not_start_and_a_running_session_winds_down_like_a_deficit()
    {
        var solar = Solar();
        Assert.Equal(0, At(solar, TimeSpan.Zero, null).Amps);
        At(solar, TimeSpan.FromMinutes(1), 6000);
        At(solar, TimeSpan.FromMinutes(2), 6000);
        Assert.Equal(6, At(solar, TimeSpan.FromMinutes(3), null).Amps);
        Assert.Equal(0, At(solar, TimeSpan.FromMinutes(6), null).Amps);
    }

    [Fact]
    public void The_thresholds_shift_the_start_and_the_pause()
    {
        var solar = Solar(options: ModeOptions.Evcc with { EnableThreshold = 500, DisableThreshold = 1000 });
        At(solar, TimeSpan.Zero, 4500); // below 4140 + 500
        Assert.Equal(0, At(solar, TimeSpan.FromMinutes(1), 4500).Amps);
        At(solar, TimeSpan.FromMinutes(2), 4700);
        Assert.Equal(6.8, At(solar, TimeSpan.FromMinutes(3), 4700).Amps);
        At(solar, TimeSpan.FromMinutes(4), 3200); // above 4140 - 1000: no deficit yet
        Assert.Equal(6, At(solar, TimeSpan.FromMinutes(8), 3200).Amps);
    }

    [Fact]
    public void Minsolar_never_pauses_and_adds_the_surplus_above_the_minimum()
    {
        var minsolar = new MinSolarStrategy(new ModeOptions(), 6, 16, ThreePhase);
        Assert.Equal(6, minsolar.Decide(new StrategyInput(T0, 0, true)).Amps);
        Assert.Equal(6, minsolar.Decide(new StrategyInput(T0, null, true)).Amps);
        Assert.Equal(10.1, minsolar.Decide(new StrategyInput(T0, 7000, true)).Amps);
    }
}

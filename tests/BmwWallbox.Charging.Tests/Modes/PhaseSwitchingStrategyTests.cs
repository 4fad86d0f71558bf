using BmwWallbox.Charging.Strategies;
using BmwWallbox.Core;

namespace BmwWallbox.Charging.Tests.Modes;

/// <summary>
/// Solar and minsolar on a box that switches 1 ↔ 3 phases, in virtual time (<see cref="ManualClock"/>): down when the
/// surplus stays between the 1-phase (1380 W) and the 3-phase minimum (4140 W) for the disable delay (3 min), up when
/// it covers the 3-phase minimum for the enable delay (1 min), no switching back and forth on a wandering surplus.
/// </summary>
public class PhaseSwitchingStrategyTests
{
    private static readonly PowerConversion ThreePhase = new(230, 3);
    private readonly ManualClock _clock = new(new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero));

    private StrategyDecision Step(IModeStrategy s, double? surplus, TimeSpan? advance = null, bool canSwitch = true)
    {
        if (advance is { } by) _clock.Advance(by);
        return s.Decide(new StrategyInput(_clock.GetUtcNow(), surplus, true, canSwitch));
    }

    private static SolarStrategy Solar() => new(ModeOptions.Evcc, 6, 16, ThreePhase);

    /// <summary>Charging on three phases at 8 A (5520 W of surplus).</summary>
    private SolarStrategy ChargingOnThree()
    {
        var solar = Solar();
        Step(solar, 5520);
        var started = Step(solar, 5520, TimeSpan.FromMinutes(1));
        Assert.Equal((8.0, 3), (started.Amps, started.Phases));
        return solar;
    }

    [Fact]
    public void Starts_on_one_phase_when_the_surplus_covers_only_the_one_phase_minimum()
    {
        var solar = Solar();
        var waiting = Step(solar, 2000);
        Assert.Equal(0, waiting.Amps);
        var started = Step(solar, 2000, TimeSpan.FromMinutes(1));
        Assert.Equal((8.6, 1), (started.Amps, started.Phases)); // 2000 / 230 = 8.69 A on one phase
        Assert.Contains("1 phase", started.Reason);
    }

    [Fact]
    public void Without_switching_the_same_surplus_waits_and_no_phases_are_asked_for()
    {
        var solar = Solar();
        Step(solar, 2000, canSwitch: false);
        var later = Step(solar, 2000, TimeSpan.FromMinutes(10), canSwitch: false);
        Assert.Equal(0, later.Amps);
        Assert.Null(later.Phases);
    }

    [Fact]
    public void Switches_down_after_the_disable_delay_between_the_minimums_instead_of_pausing()
    {
        var solar = ChargingOnThree();
        var dip = Step(solar, 3000, TimeSpan.FromMinutes(1));
        Assert.Equal((6.0, 3), (dip.Amps, dip.Phases)); // holding the 3-phase minimum meanwhile
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(3), dip.RecheckAt);
        Assert.Equal(3, Step(solar, 3000, TimeSpan.FromSeconds(179)).Phases);
        var down = Step(solar, 3000, TimeSpan.FromSeconds(1));
        Assert.Equal((13.0, 1), (down.Amps, down.Phases)); // 3000 / 230 = 13.04 A on one phase, not a pause
    }

    [Fact]
    public void Switches_up_after_the_enable_delay_once_the_surplus_covers_the_three_phase_minimum()
    {
        var solar = Solar();
        Step(solar, 3000);
        Assert.Equal(1, Step(solar, 3000, TimeSpan.FromMinutes(1)).Phases);
        var sunny = Step(solar, 6000, TimeSpan.FromMinutes(5));
        Assert.Equal((16.0, 1), (sunny.Amps, sunny.Phases)); // one phase at max while the enable delay runs
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(1), sunny.RecheckAt);
        Assert.Equal(1, Step(solar, 6000, TimeSpan.FromSeconds(59)).Phases);
        var up = Step(solar, 6000, TimeSpan.FromSeconds(1));
        Assert.Equal((8.6, 3), (up.Amps, up.Phases)); // 6000 / 690
    }

    [Fact]
    public void A_surplus_wandering_around_the_three_phase_minimum_does_not_switch_back_and_forth()
    {
        var solar = Solar();
        Step(solar, 3000);
        Step(solar, 3000, TimeSpan.FromMinutes(1));
        var switches = 0;
        var phases = 1;
        // 4500 W and 3800 W in turn every 40 s for two hours: above the 3-phase minimum never for a whole minute.
        for (var i = 0; i < 180; i++)
        {
            var d = Step(solar, i % 2 == 0 ? 4500 : 3800, TimeSpan.FromSeconds(40));
            Assert.True(d.Amps >= 6, $"paused at step {i}");
            if (d.Phases != phases) switches++;
            phases = d.Phases!.Value;
        }
        Assert.Equal(0, switches);
    }

    [Fact]
    public void Below_the_one_phase_minimum_it_still_pauses_after_the_disable_delay()
    {
        var solar = ChargingOnThree();
        Step(solar, 500, TimeSpan.FromMinutes(1));
        var paused = Step(solar, 500, TimeSpan.FromMinutes(3));
        Assert.Equal(0, paused.Amps);
        Assert.Contains("paused", paused.Reason);
    }

    [Fact]
    public void A_new_session_starts_on_the_installations_phases_again()
    {
        var solar = ChargingOnThree();
        Step(solar, 3000, TimeSpan.FromMinutes(1));
        Assert.Equal(1, Step(solar, 3000, TimeSpan.FromMinutes(3)).Phases);
        solar.Decide(new StrategyInput(_clock.GetUtcNow(), 3000, false, true)); // unplugged
        solar.Reset();
        Step(solar, 6000);
        Assert.Equal(3, Step(solar, 6000, TimeSpan.FromMinutes(1)).Phases);
    }

    [Fact]
    public void Minsolar_takes_its_minimum_on_one_phase_while_the_surplus_stays_low()
    {
        var minsolar = new MinSolarStrategy(ModeOptions.Evcc, 6, 16, ThreePhase);
        Assert.Equal((6.0, 3), (Step(minsolar, 500).Amps, Step(minsolar, 500).Phases));
        var down = Step(minsolar, 500, TimeSpan.FromMinutes(3));
        Assert.Equal((6.0, 1), (down.Amps, down.Phases)); // 1380 W from the grid instead of 4140 W
        Assert.Equal(1, Step(minsolar, 5000, TimeSpan.FromSeconds(30)).Phases);
        Assert.Equal(3, Step(minsolar, 5000, TimeSpan.FromMinutes(1)).Phases);
    }
}

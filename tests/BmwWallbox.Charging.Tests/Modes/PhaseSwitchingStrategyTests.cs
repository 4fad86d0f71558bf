using BmwWallbox.Charging.Strategies;
using BmwWallbox.Core;

namespace BmwWallbox.Charging.Tests.Modes;

/// <summary>
/// Solar and minsolar on a box that switches 1 ↔ 3 phases, in virtual time (<see cref="ManualClock"/>): down once the
/// grid energy the 3-phase minimum (4140 W) forces has added up to charging.phase_down_energy (30 Wh), up once the
/// surplus beyond it has added up to charging.phase_up_energy (40 Wh), no switching back and forth on a wandering surplus.
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

    /// <summary>Charging on one phase at 2000 W, with the default phase energies (40 Wh up, 30 Wh down).</summary>
    private SolarStrategy OnOnePhase()
    {
        var solar = Solar();
        Step(solar, 2000);
        Assert.Equal(1, Step(solar, 2000, TimeSpan.FromMinutes(1)).Phases);
        return solar;
    }

    /// <summary>Charging on three phases at 8 A (5520 W of surplus).</summary>
    private SolarStrategy ChargingOnThree(ModeOptions? options = null)
    {
        var solar = options is null ? Solar() : new SolarStrategy(options, 6, 16, ThreePhase);
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
    public void Switches_down_once_the_grid_energy_the_three_phase_minimum_forces_adds_up_instead_of_pausing()
    {
        var solar = ChargingOnThree();
        var dip = Step(solar, 3000, TimeSpan.FromMinutes(1));
        Assert.Equal((6.0, 3), (dip.Amps, dip.Phases)); // holding the 3-phase minimum meanwhile, 1140 W from the grid
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(95), dip.RecheckAt); // 30 Wh / 1140 W = 94.7 s
        Assert.Equal(3, Step(solar, 3000, TimeSpan.FromSeconds(90)).Phases);
        var down = Step(solar, 3000, TimeSpan.FromSeconds(5));
        Assert.Equal((13.0, 1), (down.Amps, down.Phases)); // 3000 / 230 = 13.04 A on one phase, not a pause
    }

    [Fact]
    public void A_surplus_just_below_the_three_phase_minimum_rides_on_it_longer_than_a_deep_drop()
    {
        var solar = ChargingOnThree(new ModeOptions()); // the default shares: the minimum is held down to 55 % of it
        var shallow = Step(solar, 3940, TimeSpan.FromMinutes(1)); // 200 W from the grid: 30 Wh take 9 min
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(9), shallow.RecheckAt);
        Assert.Equal(3, Step(solar, 3940, TimeSpan.FromMinutes(8)).Phases);
        Assert.Equal(1, Step(solar, 3940, TimeSpan.FromMinutes(1)).Phases);
    }

    [Fact]
    public void A_deep_drop_switches_down_before_the_strategy_would_pause()
    {
        var solar = ChargingOnThree();
        Step(solar, 1000, TimeSpan.FromMinutes(1)); // below the 3-phase hold floor: the pause would come after the disable delay
        var down = Step(solar, 1000, TimeSpan.FromSeconds(35)); // 3140 W from the grid: 30 Wh in 34 s
        Assert.Equal((6.0, 1), (down.Amps, down.Phases));
        Assert.DoesNotContain("paused", down.Reason);
    }

    [Fact]
    public void A_surplus_that_briefly_exceeds_the_three_phase_minimum_does_not_switch_up()
    {
        var solar = OnOnePhase();
        // A cloud gap: 6000 W for a minute (1860 W beyond the 3-phase minimum: 31 Wh, short of 40), then back to 2000 W.
        Assert.Equal((16.0, 1), (Step(solar, 6000, TimeSpan.FromMinutes(1)).Amps, Step(solar, 6000).Phases));
        Assert.Equal(1, Step(solar, 6000, TimeSpan.FromSeconds(60)).Phases);
        Assert.Equal(1, Step(solar, 2000, TimeSpan.FromSeconds(1)).Phases);
        // What added up drains below the 3-phase minimum: the next short peak starts over.
        Step(solar, 2000, TimeSpan.FromMinutes(10));
        Assert.Equal(1, Step(solar, 6000, TimeSpan.FromMinutes(1)).Phases);
        Assert.Equal(1, Step(solar, 6000, TimeSpan.FromSeconds(60)).Phases);
    }

    [Fact]
    public void A_surplus_that_holds_above_the_three_phase_minimum_switches_up_sooner_the_bigger_it_is()
    {
        var solar = OnOnePhase();
        var sunny = Step(solar, 6000, TimeSpan.FromMinutes(1));
        Assert.Equal((16.0, 1), (sunny.Amps, sunny.Phases)); // one phase at max while the sum adds up
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(78), sunny.RecheckAt); // 40 Wh / 1860 W = 77.4 s
        Assert.Equal(1, Step(solar, 6000, TimeSpan.FromSeconds(77)).Phases);
        var up = Step(solar, 6000, TimeSpan.FromSeconds(1));
        Assert.Equal((8.6, 3), (up.Amps, up.Phases)); // 6000 / 690

        var bright = OnOnePhase();
        Step(bright, 10000, TimeSpan.FromMinutes(1));
        Assert.Equal(1, Step(bright, 10000, TimeSpan.FromSeconds(20)).Phases);
        Assert.Equal(3, Step(bright, 10000, TimeSpan.FromSeconds(5)).Phases); // 5860 W beyond: 40 Wh in 25 s
    }

    [Fact]
    public void A_surplus_wandering_around_the_three_phase_minimum_does_not_switch_back_and_forth()
    {
        var solar = OnOnePhase();
        var switches = 0;
        var phases = 1;
        // 4500 W and 3800 W in turn every 40 s for two hours: what adds up above the 3-phase minimum drains below it.
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
    public void On_one_phase_the_minimum_is_held_down_to_the_one_phase_share()
    {
        var solar = new SolarStrategy(new ModeOptions(), 6, 16, ThreePhase); // one_phase_disable_share 0.1, disable_share 0.55
        Step(solar, 2000);
        Assert.Equal(1, Step(solar, 2000, TimeSpan.FromSeconds(15)).Phases);
        // 500 W covers 36 % of the 1380 W minimum: below disable_share, above one_phase_disable_share: held, not paused.
        var dip = Step(solar, 500, TimeSpan.FromMinutes(1));
        Assert.Equal((6.0, 1), (dip.Amps, dip.Phases));
        Assert.Equal((6.0, 1), (Step(solar, 500, TimeSpan.FromMinutes(20)).Amps, Step(solar, 500).Phases));
        // 100 W (7 %) is below it: paused after the disable delay.
        Step(solar, 100, TimeSpan.FromSeconds(1));
        Assert.Equal(0, Step(solar, 100, TimeSpan.FromMinutes(1)).Amps);
    }

    [Fact]
    public void Starts_on_one_phase_once_the_surplus_covers_the_one_phase_enable_share()
    {
        var solar = new SolarStrategy(new ModeOptions(), 6, 16, ThreePhase); // one_phase_enable_share 0.6: 828 W of the 1380 W minimum
        Step(solar, 800);
        var waiting = Step(solar, 800, TimeSpan.FromMinutes(5)); // 58 %
        Assert.Equal(0, waiting.Amps);
        Assert.Contains("800 of 828 W", waiting.Reason);
        Step(solar, 850, TimeSpan.FromSeconds(1));
        var started = Step(solar, 850, TimeSpan.FromSeconds(15)); // 62 %, for enable_delay: the minimum on one phase, 530 W from the grid
        Assert.Equal((6.0, 1), (started.Amps, started.Phases));

        // A box that cannot switch waits for enable_share (75 %) of its 3-phase minimum, 3105 W.
        var fixedPhases = new SolarStrategy(new ModeOptions(), 6, 16, ThreePhase);
        Step(fixedPhases, 850, canSwitch: false);
        Assert.Equal(0, Step(fixedPhases, 850, TimeSpan.FromMinutes(5), canSwitch: false).Amps);
    }

    [Fact]
    public void Without_switching_the_one_phase_share_does_not_apply()
    {
        var solar = new SolarStrategy(new ModeOptions(), 6, 16, ThreePhase);
        Step(solar, 5000, canSwitch: false);
        Assert.Equal(7.2, Step(solar, 5000, TimeSpan.FromSeconds(15), canSwitch: false).Amps);
        Step(solar, 2000, TimeSpan.FromSeconds(1), canSwitch: false); // 48 % of 4140 W: below disable_share
        Assert.Equal(0, Step(solar, 2000, TimeSpan.FromMinutes(1), canSwitch: false).Amps);
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
        Assert.Equal(1, Step(minsolar, 5000, TimeSpan.FromMinutes(2)).Phases); // 860 W beyond the 3-phase minimum: 40 Wh take 2.8 min
        Assert.Equal(3, Step(minsolar, 5000, TimeSpan.FromMinutes(1)).Phases);
    }
}

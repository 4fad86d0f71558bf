using BmwWallbox.Charging.Strategies;
using BmwWallbox.Charging.Tests.TestDoubles;
using BmwWallbox.Core;

namespace BmwWallbox.Charging.Tests.Modes;

/// <summary>The charge modes as claims on a real controller (scripted link), in virtual time.</summary>
public class ChargeModeTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Solar_claims_under_its_own_source_and_the_box_gets_tenths_of_an_ampere()
    {
        await using var rig = ModeRig.Start();
        await rig.PlugIn();
        await rig.SetSurplus(5000);
        Assert.Equal("mode solar", rig.Control.LimitSource);
        Assert.Equal(0, rig.Control.EffectiveLimit); // waiting out the enable delay, paused

        await rig.Advance(Minute);
        Assert.Equal("mode solar", rig.Control.LimitSource);
        Assert.Equal(7.2, rig.Control.EffectiveLimit);
        Assert.Equal(7.2, rig.H.Link.Profiles[^1].LimitAmps);
        Assert.Contains("surplus 5000 W", rig.Control.Claims.Single().Reason);
    }

    [Fact]
    public async Task A_rule_cap_composes_with_the_mode_and_a_person_outranks_it()
    {
        await using var rig = ModeRig.Start("now");
        await rig.PlugIn();
        Assert.Equal(("mode now", 16.0), (rig.Control.LimitSource, rig.Control.EffectiveLimit));

        await rig.H.Claim("evening-cap", 10);
        Assert.Equal(("evening-cap", 10.0), (rig.Control.LimitSource, rig.Control.EffectiveLimit));

        await rig.SetMode(ChargeMode.Off);
        Assert.Equal(("mode off", 0.0), (rig.Control.LimitSource, rig.Control.EffectiveLimit));
        Assert.DoesNotContain(rig.Control.Claims, c => c.Source == "mode now");

        await rig.H.Claim("mqtt", 12, ClaimKind.Manual);
        Assert.Equal(("mqtt", 12.0), (rig.Control.LimitSource, rig.Control.EffectiveLimit));
    }

    [Fact]
    public async Task The_current_follows_at_most_once_per_interval_but_a_pause_goes_out_at_once()
    {
        await using var rig = ModeRig.Start("minsolar");
        await rig.PlugIn();
        Assert.Equal(6, rig.Control.EffectiveLimit); // no surplus known yet: the minimum
        await rig.Advance(TimeSpan.FromSeconds(30));
        await rig.SetSurplus(7000);
        Assert.Equal(10.1, rig.Control.EffectiveLimit);

        await rig.Advance(TimeSpan.FromSeconds(10));
        await rig.SetSurplus(8000);
        Assert.Equal(10.1, rig.Control.EffectiveLimit); // held: changed 10 s ago
        await rig.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(11.5, rig.Control.EffectiveLimit); // the interval's recheck: 8000 / 690

        await rig.SetMode(ChargeMode.Off);
        Assert.Equal(0, rig.Control.EffectiveLimit);
    }

    [Fact]
    public async Task Solar_holds_the_minimum_through_the_disable_delay_then_pauses()
    {
        await using var rig = ModeRig.Start();
        await rig.PlugIn();
        await rig.SetSurplus(6000);
        await rig.Hold(6000, Minute, TimeSpan.FromSeconds(30));
        Assert.Equal(8.6, rig.Control.EffectiveLimit);

        await rig.Hold(1000, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30));
        Assert.Equal(6, rig.Control.EffectiveLimit); // holding min through the deficit
        await rig.Hold(1000, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));
        Assert.Equal(6, rig.Control.EffectiveLimit); // 2.5 min of deficit (from the first low reading)
        await rig.Hold(1000, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        Assert.Equal(0, rig.Control.EffectiveLimit); // 3 min: paused
        Assert.Contains("paused", rig.Control.Claims.Single().Reason);
    }

    [Fact]
    public async Task Plan_mode_claims_the_plan_step_and_pauses_without_a_plan()
    {
        var plans = new FakePlans();
        await using var rig = ModeRig.Start("plan", plans: plans);
        await rig.PlugIn();
        Assert.Equal(("mode plan", 0.0), (rig.Control.LimitSource, rig.Control.EffectiveLimit));
        Assert.Equal("no plan", rig.Control.Claims.Single().Reason);

        plans.Step = new PlanStep(11, "cheapest hour 02:00");
        plans.Raise(Harness.StationId);
        await rig.Idle();
        Assert.Equal(11, rig.Control.EffectiveLimit);
        Assert.Equal("cheapest hour 02:00", rig.Control.Claims.Single().Reason);
    }

    [Fact]
    public async Task Plan_mode_without_a_planner_says_so()
    {
        await using var rig = ModeRig.Start("plan");
        await rig.PlugIn();
        Assert.Equal(0, rig.Control.EffectiveLimit);
        Assert.Contains("no planner", rig.Control.Claims.Single().Reason);
    }

    [Fact]
    public async Task Without_a_surplus_signal_solar_holds_no_claim_says_so_and_cannot_be_chosen()
    {
        await using var rig = ModeRig.Start(withSurplus: false);
        await rig.PlugIn();
        Assert.Equal("default", rig.Control.LimitSource);
        Assert.Contains(rig.Modes.Warnings, w => w.Contains("needs the surplus signal 'surplus'"));

        await rig.SetMode(ChargeMode.Now);
        var refused = await rig.SetMode(ChargeMode.MinSolar);
        Assert.False(refused.Ok);
        Assert.Contains("needs the surplus signal", refused.Message);
        Assert.Equal(ChargeMode.Now, rig.Modes.ModeOf(Harness.Name));
    }

    [Fact]
    public async Task A_mode_set_from_outside_survives_a_restart()
    {
        var dir = Directory.CreateTempSubdirectory("bmw-modes-").FullName;
        try
        {
            await using (var first = ModeRig.Start(dataDirectory: dir))
            {
                var changed = new List<ChargeMode>();
                first.Modes.ModeChanged += (_, mode) => changed.Add(mode);
                var result = await first.SetMode(ChargeMode.MinSolar);
                Assert.True(result.Ok, result.Message);
                Assert.Equal([ChargeMode.MinSolar], changed);
            }
            await using var second = ModeRig.Start(dataDirectory: dir);
            Assert.Equal(ChargeMode.MinSolar, second.Modes.ModeOf(Harness.StationId));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_station_of_its_own_mode_and_phases_converts_with_them()
    {
        var options = ModeOptions.Evcc with { Stations = new Dictionary<string, StationModeOptions> { [Harness.Name] = new() { Mode = "minsolar", Phases = 1 } } };
        await using var rig = ModeRig.Start("solar", options);
        Assert.Equal(ChargeMode.MinSolar, rig.Modes.ModeOf(Harness.Name));
        Assert.Equal(new Installation(1, 230, 6, 16), rig.Modes.InstallationOf(Harness.Name));
        await rig.PlugIn();
        await rig.Advance(TimeSpan.FromSeconds(30));
        await rig.SetSurplus(2000);
        Assert.Equal(8.6, rig.Control.EffectiveLimit); // 2000 / 230
    }

    private sealed class FakePlans : IChargePlans
    {
        public PlanStep? Step { get; set; }
        public PlanStep? StepAt(string stationId, DateTimeOffset now) => Step;
        public event Action<string>? PlanChanged;
        public void Raise(string stationId) => PlanChanged?.Invoke(stationId);
    }
}

using BmwWallbox.Charging.Strategies;
using BmwWallbox.Core;

namespace BmwWallbox.Charging.Tests.Modes;

/// <summary>The solar mode on the controller: phases only for a box that reports switching and only when config allows it.</summary>
public class PhaseSwitchingModeTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task On_a_switching_box_a_low_surplus_charges_on_one_phase_and_shows_it()
    {
        await using var rig = ModeRig.Start();
        rig.H.Link.Variables["SmartChargingCtrlr.Phases3to1"] = "true";
        await rig.PlugIn();
        await rig.SetSurplus(2000);
        await rig.Advance(Minute);

        Assert.Equal(PhaseSwitchingSupport.Supported, rig.Control.PhaseSwitching);
        Assert.Equal(("mode solar", 8.6, 1), (rig.Control.LimitSource, rig.Control.EffectiveLimit, rig.Control.Phases));
        Assert.Equal(1, rig.H.Link.Profiles[^1].NumberPhases);
        Assert.Contains("[1 phase(s)]", rig.Control.Claims.Single().Reason);
    }

    [Fact]
    public async Task The_BMW_box_says_it_cannot_switch_so_the_same_surplus_waits_on_three_phases()
    {
        await using var rig = ModeRig.Start();
        await rig.PlugIn();
        await rig.SetSurplus(2000);
        await rig.Advance(Minute);

        Assert.Equal(PhaseSwitchingSupport.Unsupported, rig.Control.PhaseSwitching);
        Assert.Equal(0, rig.Control.EffectiveLimit);
        Assert.All(rig.H.Link.Profiles, p => Assert.Null(p.NumberPhases));
    }

    [Fact]
    public async Task With_phase_switching_off_the_box_is_never_asked()
    {
        await using var rig = ModeRig.Start(options: ModeOptions.Evcc with { PhaseSwitching = "off" });
        rig.H.Link.Variables["SmartChargingCtrlr.Phases3to1"] = "true";
        await rig.PlugIn();
        await rig.SetSurplus(6000);
        await rig.Advance(Minute);

        Assert.Equal(8.6, rig.Control.EffectiveLimit);
        Assert.DoesNotContain(rig.H.Link.Calls, c => c.Command == "GetVariable");
        Assert.All(rig.H.Link.Profiles, p => Assert.Null(p.NumberPhases));
    }

    [Fact]
    public async Task A_one_phase_installation_never_asks_for_phases()
    {
        await using var rig = ModeRig.Start(wallbox: new WallboxOptions { MaxCurrent = 32, Phases = 1 });
        rig.H.Link.Variables["SmartChargingCtrlr.Phases3to1"] = "true";
        await rig.PlugIn();
        await rig.SetSurplus(2000);
        await rig.Advance(Minute);

        Assert.Equal(8.6, rig.Control.EffectiveLimit);
        Assert.DoesNotContain(rig.H.Link.Calls, c => c.Command == "GetVariable");
    }

    [Fact]
    public void The_config_key_takes_auto_or_off()
    {
        var problem = Assert.Single(new ModeOptions { PhaseSwitching = "yes" }.Problems());
        Assert.Equal("charging.phase_switching", problem.Key);
        Assert.Empty(new ModeOptions { PhaseSwitching = "off" }.Problems());
    }
}

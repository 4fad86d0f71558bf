using BmwWallbox.Charging.Tests.TestDoubles;
using BmwWallbox.Core;

namespace BmwWallbox.Charging.Tests;

/// <summary>A phase switch by a strategy is a cycle: it uses up one of wallbox.max_pause_cycles_per_hour and waits like a resume.</summary>
public class PhaseSwitchPacingTests
{
    private static async Task<Harness> SwitchingBox(int cyclesPerHour)
    {
        var h = new Harness(new WallboxOptions { MaxCurrent = 16, MaxPauseCyclesPerHour = cyclesPerHour, MinChangeInterval = TimeSpan.Zero });
        h.Link.Variables["SmartChargingCtrlr.Phases3to1"] = "true";
        await h.Charging();
        return h;
    }

    private static Task<ActionResult> Mode(Harness h, double amps, int phases)
        => h.Controller.ClaimAsync(new ClaimRequest("mode solar", amps, Phases: phases));

    [Fact]
    public async Task A_switch_beyond_the_hourly_cap_is_deferred_holding_the_minimum_on_three_phases()
    {
        await using var h = await SwitchingBox(cyclesPerHour: 1);
        await Mode(h, 8, 3);
        Assert.Equal(3, h.Link.Profiles.Last().NumberPhases);

        var down = await Mode(h, 12, 1); // the first switch: the hour's one cycle
        Assert.True(down.Ok, down.ToString());
        Assert.Equal((12.0, 1), (h.Link.Profiles.Last().LimitAmps, h.Link.Profiles.Last().NumberPhases));

        var up = await Mode(h, 7, 3);    // the second would be a second cycle this hour
        Assert.Contains("switch to 3 phase(s) deferred", up.Message);
        Assert.Equal(1, h.Control.Phases);

        await Mode(h, 10, 1);
        Assert.Equal(1, h.Control.Phases);
        await Mode(h, 7, 3);
        h.Link.Clear();
        await h.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal((7.0, 3), (h.Link.Profiles.Last().LimitAmps, h.Link.Profiles.Last().NumberPhases));
        Assert.Equal(3, h.Control.Phases);
    }

    [Fact]
    public async Task A_held_switch_down_holds_the_minimum_on_three_phases_instead_of_the_one_phase_current()
    {
        await using var h = await SwitchingBox(cyclesPerHour: 1);
        await Mode(h, 8, 3);
        await Mode(h, 12, 1);
        await Mode(h, 8, 3);  // held: the hour's cycle is used
        await h.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(3, h.Control.Phases); // the held switch up went out when the hour had passed

        await Mode(h, 8, 3);
        h.Link.Clear();
        var heldDown = await Mode(h, 13, 1);

        Assert.Contains("switch to 1 phase(s) deferred", heldDown.Message);
        Assert.Equal((6.0, 3), (h.Link.Profiles.Last().LimitAmps, h.Link.Profiles.Last().NumberPhases)); // 13 A on three phases would be 9 kW
    }

    [Fact]
    public async Task A_held_switch_up_charges_at_the_same_power_on_one_phase_instead_of_the_three_phase_current()
    {
        await using var h = await SwitchingBox(cyclesPerHour: 1);
        await Mode(h, 8, 3);
        await Mode(h, 12, 1); // the hour's cycle
        h.Link.Clear();

        var heldUp = await Mode(h, 6.5, 3); // 6.5 A on three phases: 4485 W

        Assert.Contains("switch to 3 phase(s) deferred", heldUp.Message);
        // 6.5 A meant for three phases would be 1.5 kW on one; the same 4.5 kW on one phase is 19.5 A, so the maximum.
        Assert.Equal((16.0, 1), (h.Link.Profiles.Last().LimitAmps, h.Link.Profiles.Last().NumberPhases));
    }

    [Fact]
    public async Task A_held_switch_up_stays_below_a_rules_cap()
    {
        await using var h = await SwitchingBox(cyclesPerHour: 1);
        await Mode(h, 8, 3);
        await Mode(h, 12, 1);
        await h.Controller.ClaimAsync(new ClaimRequest("evening-cap", 14));
        h.Link.Clear();

        await Mode(h, 7, 3);

        Assert.Equal((14.0, 1), (h.Link.Profiles.Last().LimitAmps, h.Link.Profiles.Last().NumberPhases));
    }

    [Fact]
    public async Task A_switch_counts_as_a_cycle_so_a_resume_after_it_waits()
    {
        await using var h = await SwitchingBox(cyclesPerHour: 1);
        await Mode(h, 8, 3);
        await Mode(h, 12, 1);                 // the hour's cycle
        await Mode(h, 0, 1);                  // pause
        var resume = await Mode(h, 8, 1);

        Assert.Contains("resume to 8 A deferred", resume.Message);
        Assert.Equal(0, h.Control.AppliedLimit);
    }
}

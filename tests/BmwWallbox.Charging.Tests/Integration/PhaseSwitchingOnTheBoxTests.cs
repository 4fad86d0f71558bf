using BmwWallbox.Core;
using BmwWallbox.SimulatedBox;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace BmwWallbox.Charging.Tests.Integration;

/// <summary>
/// numberPhases over real OCPP to the simulated box: only to a box that reports SmartChargingCtrlr.Phases3to1,
/// never to the BMW-like box (quirk 3), and a box that reports it but refuses numberPhases is charged on without it.
/// </summary>
public sealed class PhaseSwitchingOnTheBoxTests(ITestOutputHelper output)
{
    private static Task<ActionResult> ClaimOn(LiveRig rig, double amps, int phases)
        => rig.Controller.ClaimAsync(new ClaimRequest("mode solar", amps, Phases: phases)).WaitAsync(LiveRig.Guard);

    /// <summary>numberPhases of every SetChargingProfile the box received (null where the period had none).</summary>
    private static IReadOnlyList<int?> NumberPhasesReceived(LiveRig rig) => rig.Box.ReceivedCalls
        .Where(e => e.Action == "SetChargingProfile")
        .Select(e => (int?)e.Payload!["chargingProfile"]!["chargingSchedule"]![0]!["chargingSchedulePeriod"]![0]!["numberPhases"])
        .ToArray();

    [Fact]
    public async Task The_BMW_box_never_gets_numberPhases_even_when_a_mode_asks_for_one_phase()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn);
        await rig.PlugInAsync();

        await ClaimOn(rig, 8, phases: 3);
        await ClaimOn(rig, 10, phases: 1);
        await rig.IdleAsync();

        Assert.Equal(PhaseSwitchingSupport.Unsupported, rig.Control.PhaseSwitching);
        Assert.Null(rig.Control.Phases);
        Assert.Equal(1, rig.Box.ReceivedCallCount("GetVariables")); // asked once per connection
        Assert.NotEmpty(NumberPhasesReceived(rig));
        Assert.All(NumberPhasesReceived(rig), n => Assert.Null(n));
        Assert.Equal(3, rig.Box.ChargingPhases);
    }

    [Fact]
    public async Task Claims_without_phases_never_ask_the_box_about_phase_switching()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn, box: b => b with { PhaseSwitching = PhaseSwitchingBehaviour.Switches });
        await rig.PlugInAsync();

        await rig.Claim("rule:solar", 8);

        Assert.Equal(0, rig.Box.ReceivedCallCount("GetVariables"));
        Assert.All(NumberPhasesReceived(rig), n => Assert.Null(n));
    }

    [Fact]
    public async Task A_box_that_switches_gets_numberPhases_and_the_car_draws_on_one_phase()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn, box: b => b with { PhaseSwitching = PhaseSwitchingBehaviour.Switches });
        await rig.PlugInAsync();

        await ClaimOn(rig, 8, phases: 3);
        Assert.Equal(PhaseSwitchingSupport.Supported, rig.Control.PhaseSwitching);
        Assert.Equal(3, rig.Control.Phases);
        Assert.Equal(3, rig.Box.ChargingPhases);

        var switched = await ClaimOn(rig, 10, phases: 1);

        Assert.True(switched.Ok, switched.ToString());
        Assert.Contains("on 1 phase(s)", switched.Message);
        Assert.Equal([3, 1], NumberPhasesReceived(rig).OfType<int>().Distinct()); // the profiles before the first claim (at link-up) carry none
        Assert.Equal(1, rig.Control.Phases);
        Assert.Equal((1, 10.0), (rig.Box.ChargingPhases, rig.Box.ChargingCurrentAmps));
        Assert.Equal(10 * 230, rig.Box.PowerW, 3);
        Assert.Equal(1, rig.Box.PhaseSwitches);
    }

    [Fact]
    public async Task A_box_that_refuses_numberPhases_charges_on_without_it_and_is_never_sent_it_again()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn, box: b => b with { PhaseSwitching = PhaseSwitchingBehaviour.Refuses });
        await rig.PlugInAsync();

        var first = await ClaimOn(rig, 10, phases: 1);

        Assert.True(first.Ok, first.ToString());
        Assert.Equal(PhaseSwitchingSupport.Refused, rig.Control.PhaseSwitching);
        // The current meant for one phase would be too much on three: the minimum until the mode decides again.
        Assert.Equal(6, rig.Box.AppliedLimitAmps);
        Assert.Equal(3, rig.Box.ChargingPhases);
        await ClaimOn(rig, 12, phases: 1);
        await ClaimOn(rig, 8, phases: 3);

        var received = NumberPhasesReceived(rig);
        Assert.Equal(1, received.Count(n => n is not null)); // tried once, then never again
        Assert.Equal(8, rig.Box.AppliedLimitAmps);
        Assert.Single(rig.Logs.AtLeast(LogLevel.Warning), e => e.Message.Contains("numberPhases", StringComparison.Ordinal));
    }
}

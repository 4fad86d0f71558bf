using BmwWallbox.SimulatedBox;
using Xunit.Abstractions;

namespace BmwWallbox.Charging.Tests.Integration;

/// <summary>Issue #3 "Done when": a whole session against the simulated BMW box with every quirk on.</summary>
public sealed class BmwSessionScenarioTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_scripted_session_on_the_BMW_box_keeps_the_box_at_the_controllers_limit_after_every_step()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn);
        rig.AssertBoxAtEffectiveLimit(16); // no claim: max_current, already on the box before any car (quirk 5)

        await rig.PlugInAsync();
        rig.AssertBoxAtEffectiveLimit(16);

        var cap = await rig.Claim("rule:evening-cap", 10);
        Assert.True(cap.Ok, cap.ToString());
        rig.AssertBoxAtEffectiveLimit(10);

        var pause = await rig.ClaimAndWaitAsync("rule:solar", 0, reported: "SuspendedEVSE");
        Assert.True(pause.Ok, pause.ToString());
        rig.AssertBoxAtEffectiveLimit(0);

        var resume = await rig.ReleaseAndWaitAsync("rule:solar", reported: "Charging");
        Assert.True(resume.Ok, resume.ToString());
        rig.AssertBoxAtEffectiveLimit(10);

        await rig.SuspendByCarAsync();
        rig.AssertBoxAtEffectiveLimit(10);
        await rig.ResumeByCarAsync();
        rig.AssertBoxAtEffectiveLimit(10);

        await rig.ReconnectAsync();
        rig.AssertBoxAtEffectiveLimit(10);
        Assert.Equal(rig.Box.TransactionId, rig.State.Transaction?.Id); // the live id after quirk 9
        Assert.Equal("Charging", rig.State.ChargingState.ToString());

        await rig.UnplugAsync();
        rig.AssertBoxAtEffectiveLimit(10); // the rule's cap still holds for the next session

        Assert.Equal(0, rig.Box.ReceivedCallCount("RequestStopTransaction"));
        Assert.Equal(0, rig.Box.ReceivedCallCount("Reset"));
        Assert.False(rig.Box.IsDesynchronised);
        Assert.Null(rig.Control.LastRejected);
        Assert.DoesNotContain(rig.Box.ReceivedCalls, e => e.ErrorCode is not null);
    }
}

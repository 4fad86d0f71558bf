using BmwWallbox.Core;
using BmwWallbox.SimulatedBox;
using Xunit.Abstractions;

namespace BmwWallbox.Charging.Tests.Integration;

/// <summary>Quirk 1: a box that answers after ocpp.command_timeout must not be desynchronised by the next command.</summary>
public sealed class SlowBoxTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ReplyDelay = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Quirk01_a_box_answering_after_the_timeout_stays_in_sync_and_every_later_limit_still_lands()
    {
        var slow = BoxQuirks.None with { OneCallAtATime = true, StrictMessageIds = true, ReplyDelay = ReplyDelay };
        await using var rig = await LiveRig.StartAsync(output, slow, ocpp: o => o with { CommandTimeout = CommandTimeout },
            // No heartbeats: the only timers 20 s ahead are then the box's reply delays.
            box: o => o with { SendHeartbeats = false }, waitForLinkUp: false);
        await rig.Box.WaitForBootAcceptedAsync().WaitAsync(LiveRig.Guard);
        await DriveUntilIdleAsync(rig); // the link-up: every command takes 20 s on the box

        var first = rig.Controller.ClaimAsync(new ClaimRequest("rule:cap", 10));
        await rig.Timers.DueInAsync(ReplyDelay).WaitAsync(LiveRig.Guard); // SetChargingProfile(10 A) is on the box
        var second = rig.Controller.ClaimAsync(new ClaimRequest("rule:cap", 8)); // queued right behind it

        rig.Clock.Advance(CommandTimeout);
        var timedOut = await first.WaitAsync(LiveRig.Guard);
        Assert.Equal(ActionOutcome.TimedOut, timedOut.Outcome);
        Assert.StartsWith("Command timed out", timedOut.Message);

        // The box answers late; only then may the next command go out (one outstanding CALL, never abandoned).
        rig.Clock.Advance(ReplyDelay - CommandTimeout);
        await rig.Box.WaitForAppliedLimitAsync(10).WaitAsync(LiveRig.Guard);
        await rig.Timers.DueInAsync(ReplyDelay).WaitAsync(LiveRig.Guard); // SetChargingProfile(8 A) is on the box
        rig.Clock.Advance(CommandTimeout);
        Assert.Equal(ActionOutcome.TimedOut, (await second.WaitAsync(LiveRig.Guard)).Outcome);
        rig.Clock.Advance(ReplyDelay - CommandTimeout);
        await rig.Box.WaitForAppliedLimitAsync(8).WaitAsync(LiveRig.Guard);

        Assert.False(rig.Box.IsDesynchronised);
        Assert.DoesNotContain(rig.Box.ReceivedCalls, e => e.ErrorCode is not null);
        Assert.Equal(8, rig.Control.EffectiveLimit);
        Assert.Equal(8, rig.Box.AppliedLimitAmps);
        Assert.Contains(rig.Logs.Lines, l => l.Contains("did not answer SetChargingProfile"));
    }

    /// <summary>Lets every command the controller sends take the box's full reply delay, until the controller is idle.</summary>
    private static async Task DriveUntilIdleAsync(LiveRig rig)
    {
        var idle = rig.Controller.WhenIdleAsync();
        while (!idle.IsCompleted)
        {
            var armed = rig.Timers.DueInAsync(ReplyDelay);
            if (await Task.WhenAny(idle, armed).WaitAsync(LiveRig.Guard) == armed) rig.Clock.Advance(ReplyDelay);
        }
    }
}

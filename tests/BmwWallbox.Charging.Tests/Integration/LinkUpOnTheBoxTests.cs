using BmwWallbox.SimulatedBox;
using Xunit.Abstractions;

namespace BmwWallbox.Charging.Tests.Integration;

/// <summary>
/// What the controller sends a box that connects, against the real server and the simulated box over wss:
/// a booting box (BootNotification first) gets each link-up command once, for its boot (it used to be asked
/// for its transaction twice: for the connect, then for the boot).
/// </summary>
public sealed class LinkUpOnTheBoxTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_box_that_connects_and_boots_gets_each_link_up_command_once()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.None);
        await rig.Box.WaitForCallAsync("SetChargingProfile", since: 0).WaitAsync(LiveRig.Guard);
        await rig.IdleAsync();

        Assert.Equal(1, rig.Box.ReceivedCallCount("TriggerMessage"));
        Assert.Equal(1, rig.Box.ReceivedCallCount("SetVariables"));
        Assert.Equal(1, rig.Box.ReceivedCallCount("SetChargingProfile"));
    }
}

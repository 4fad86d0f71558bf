using BmwWallbox.SimulatedBox;

namespace BmwWallbox.Simulation.Tests.Runs;

/// <summary>simulate never hangs: parts that wait for each other end the run with a message, not at 0 % CPU forever.</summary>
public sealed class WatchdogTests
{
    [Fact]
    public async Task A_box_that_answers_only_after_virtual_time_passes_fails_the_run_naming_the_virtual_time_it_stuck_at()
    {
        using var h = new SimulationHarness();
        // The box answers each CSMS call after 1 s of virtual time; the loop waits for the box to deliver its
        // messages, which waits behind that answer, before it moves time on: they wait for each other.
        var setup = h.Setup() with { Quirks = BoxQuirks.AllOn with { ReplyDelay = TimeSpan.FromSeconds(1) }, StallLimit = TimeSpan.FromSeconds(2) };

        var stuck = await Assert.ThrowsAsync<SimulationStuckException>(() => h.RunAsync("winter-day.csv", setup));

        Assert.Contains("made no progress for 2s at virtual time 2026-01-14T23:00:00Z (2026-01-15 00:00:00 local), waiting for ", stuck.Message);
        // Which of the two waiting parts the loop stands at depends on whether the controller's call to the box
        // was already handed over when the stall began; either names one side of the deadlock.
        Assert.True(stuck.Message.Contains("waiting for the box's messages to the CSMS") || stuck.Message.Contains("waiting for the charge controller"), stuck.Message);
    }
}

using BmwWallbox.Core;
using BmwWallbox.SimulatedBox;
using Xunit.Abstractions;

namespace BmwWallbox.Charging.Tests.Integration;

/// <summary>A person's override on the (simulated) BMW box: it survives reboots and reconnects and is back on the box after them.</summary>
public sealed class ManualOverrideOnTheBoxTests(ITestOutputHelper output)
{
    private const string Person = "mqtt";

    [Fact]
    public async Task A_manual_current_survives_a_reboot_by_command_and_is_back_on_the_box_for_the_new_session()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn);
        await rig.PlugInAsync();
        await rig.Claim(Person, 8, ClaimKind.Manual);
        rig.AssertBoxAtEffectiveLimit(8);
        var since = rig.Box.EventSequence;

        var reboot = await rig.Controller.RebootAsync(Person).WaitAsync(LiveRig.Guard);
        Assert.True(reboot.Ok, reboot.ToString());
        await rig.CompleteRebootAsync(since);

        var claim = Assert.Single(rig.Control.Claims);
        Assert.Equal((Person, 8.0, ClaimKind.Manual), (claim.Source, claim.Amps, claim.Kind));
        Assert.Equal(Person, rig.Control.LimitSource);
        Assert.Equal("Charging", rig.Box.ChargingState);
        rig.AssertBoxAtEffectiveLimit(8);
        Assert.Contains(rig.Box.InstalledProfiles, p => p.Purpose == "TxDefaultProfile" && p.Periods[0].Limit == 8);

        var released = await rig.Release(Person);
        Assert.Contains($"claim '{Person}' released", released.Message);
    }

    [Fact]
    public async Task A_manual_current_survives_the_last_resort_reboot_and_is_applied_to_the_session_after_it()
    {
        // Firmware that refuses TxDefaultProfile and, after SuspendedEVSE, every TxProfile: only a reboot helps (quirk 7).
        // (Without a TxDefaultProfile quirk 5 would run the first minutes at full power; leave that out here.)
        var quirks = BoxQuirks.AllOn with { RejectTxDefaultProfile = true, FullPowerWithoutTxDefault = false, DuplicateProfileIdRejection = false };
        await using var rig = await LiveRig.StartAsync(output, quirks);
        await rig.PlugInAsync();
        await rig.ClaimAndWaitAsync(Person, 0, reported: "SuspendedEVSE", ClaimKind.Manual); // locks TxProfiles on the box
        var since = rig.Box.EventSequence;

        var raise = await rig.Claim(Person, 10, ClaimKind.Manual);
        Assert.Contains("rebooting the wallbox (last resort)", raise.Message);
        await rig.CompleteRebootAsync(since);

        var claim = Assert.Single(rig.Control.Claims);
        Assert.Equal((Person, 10.0), (claim.Source, claim.Amps));
        Assert.Equal(Person, rig.Control.LimitSource);
        rig.AssertBoxAtEffectiveLimit(10);
        Assert.Contains(rig.Box.InstalledProfiles, p => p.Purpose == "TxProfile" && p.TransactionId == rig.Box.TransactionId && p.Periods[0].Limit == 10);
    }

    [Fact]
    public async Task A_manual_current_survives_a_reconnect_and_is_re_applied()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn);
        await rig.PlugInAsync();
        await rig.Claim(Person, 8, ClaimKind.Manual);

        await rig.ReconnectAsync();

        Assert.Equal(Person, Assert.Single(rig.Control.Claims).Source);
        rig.AssertBoxAtEffectiveLimit(8);
    }

    [Fact]
    public async Task Unplugging_the_car_still_ends_the_manual_override()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn);
        await rig.PlugInAsync();
        await rig.Claim(Person, 8, ClaimKind.Manual);

        await rig.UnplugAsync();

        Assert.Empty(rig.Control.Claims);
        rig.AssertBoxAtEffectiveLimit(16);
    }

    [Fact]
    public async Task A_persons_pause_and_resume_are_immediate_and_resume_brings_back_the_current_they_set()
    {
        // Pacing as shipped, and only one pause/resume cycle an hour: none of it applies to a person.
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn,
            wallbox: o => o with { MinChangeInterval = TimeSpan.FromSeconds(30), MaxPauseCyclesPerHour = 1 });
        await rig.PlugInAsync();
        await rig.Claim(Person, 10, ClaimKind.Manual);

        for (var cycle = 0; cycle < 2; cycle++)
        {
            await PersonAndWaitAsync(rig, c => c.PauseByPersonAsync(Person), reported: "SuspendedEVSE");
            Assert.Equal(ChargeControllerVerbs.PauseSourceOf(Person), rig.Control.LimitSource);
            rig.AssertBoxAtEffectiveLimit(0);

            var resume = await PersonAndWaitAsync(rig, c => c.ResumeByPersonAsync(Person), reported: "Charging");

            Assert.True(resume.Ok, resume.ToString());
            Assert.DoesNotContain("rate limit", resume.Message);
            Assert.Equal(Person, rig.Control.LimitSource);
            Assert.Equal((Person, 10.0), (Assert.Single(rig.Control.Claims).Source, rig.Control.Claims[0].Amps));
            rig.AssertBoxAtEffectiveLimit(10);
        }
    }

    private static async Task<ActionResult> PersonAndWaitAsync(LiveRig rig, Func<IChargeController, Task<ActionResult>> act, string reported)
    {
        var since = rig.Box.EventSequence;
        var result = await act(rig.Controller).WaitAsync(LiveRig.Guard);
        await rig.DeliveredAsync("TransactionEvent", since, m => (string?)m["transactionInfo"]?["chargingState"] == reported);
        await rig.IdleAsync();
        return result;
    }
}


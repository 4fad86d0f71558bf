using System.Security.Authentication;
using BmwWallbox.Core;
using BmwWallbox.SimulatedBox;
using Xunit.Abstractions;

namespace BmwWallbox.Charging.Tests.Integration;

/// <summary>
/// Each field quirk of the BMW box (src/BMW_WALLBOX.md) against the real server, controller and
/// simulated box over wss: the box ends at the controller's limit, or the controller says why not.
/// Quirk 1 (the slow box) is in <see cref="SlowBoxTests"/>.
/// </summary>
public sealed class BmwQuirkTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Guard = LiveRig.Guard;

    /// <summary>Firmware that refuses TxDefaultProfile: the controller falls back to a TxProfile on the live transaction.</summary>
    private static readonly BoxQuirks OtherFirmware = BoxQuirks.None with { RejectTxDefaultProfile = true };

    [Fact]
    public async Task Quirk02_every_extra_message_of_the_box_is_answered_and_the_session_stays_up()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.None with { ExtraMessages = true });

        await rig.PlugInAsync();

        string[] extras = ["SecurityEventNotification", "NotifyEvent", "NotifyReport", "ClearedChargingLimit", "NotifyEVChargingNeeds", "NotifyChargingLimit"];
        foreach (var action in extras)
        {
            var sent = rig.Box.Events.Where(e => e.Kind == SimulatorEventKind.MessageSent && e.Action == action).ToArray();
            Assert.True(sent.Length > 0, $"the box sent no {action}");
            Assert.All(sent, e => Assert.True(e.ErrorCode is null && e.Detail is null, $"{action}: {e.ErrorCode} {e.Detail}"));
        }
        Assert.Equal(1, rig.Client.ConnectCount);
        Assert.DoesNotContain(rig.Box.Events, e => e.Kind == SimulatorEventKind.Disconnected);
        Assert.Equal("true", rig.State.Variables["TxCtrlr.StopTxOnEVSideDisconnect"]); // NotifyReport was read, too
        rig.AssertBoxAtEffectiveLimit(16);
    }

    [Fact]
    public async Task Quirk03_a_TxDefaultProfile_replaced_in_place_never_meets_the_duplicate_id_rejection()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.None with { DuplicateProfileIdRejection = true });
        await rig.PlugInAsync();

        foreach (var amps in new double[] { 10, 8, 12, 6, 14, 9 })
        {
            var result = await rig.Claim("rule:follow-solar", amps);
            Assert.True(result.Ok, result.ToString());
            rig.AssertBoxAtEffectiveLimit(amps);
        }

        Assert.All(rig.ProfilesReceived(), p => Assert.Equal(("TxDefaultProfile", "Accepted"), (p.Purpose, p.Status)));
        Assert.Null(rig.Control.LastRejected);
    }

    [Fact]
    public async Task Quirk03_on_the_TxProfile_fallback_a_rejected_replacement_is_reported_and_the_reboot_gets_the_box_back_to_the_limit()
    {
        await using var rig = await LiveRig.StartAsync(output, OtherFirmware with { DuplicateProfileIdRejection = true });
        await rig.PlugInAsync();
        Assert.True((await rig.Claim("rule:cap", 10)).Ok); // the first replacement is accepted
        rig.AssertBoxAtEffectiveLimit(10);
        var since = rig.Box.EventSequence;

        var refused = await rig.Claim("rule:cap", 8); // the second is rejected, and the transaction poisoned

        Assert.Equal(ActionOutcome.Rejected, refused.Outcome);
        Assert.Contains("SetChargingProfile rejected", refused.Message);
        Assert.Contains("DuplicateProfile", refused.Message);
        Assert.Contains("rebooting the wallbox (last resort)", refused.Message);
        Assert.StartsWith("SetChargingProfile rejected: Rejected: DuplicateProfile", rig.Control.LastRejected?.Message);

        await rig.CompleteRebootAsync(since);

        rig.AssertBoxAtEffectiveLimit(8); // the new transaction takes the TxProfile
        Assert.Equal(1, rig.Box.ReceivedCallCount("Reset"));
        Assert.Equal(0, rig.Box.ReceivedCallCount("RequestStopTransaction"));
    }

    [Fact]
    public async Task Quirk04_a_TxProfile_the_box_drops_while_suspended_is_sent_again_when_charging_resumes()
    {
        await using var rig = await LiveRig.StartAsync(output, OtherFirmware with { DiscardTxProfileWhileSuspended = true });
        await rig.PlugInAsync();
        await rig.Claim("rule:cap", 10);
        rig.AssertBoxAtEffectiveLimit(10);
        await rig.SuspendByCarAsync();

        var whileSuspended = await rig.Claim("rule:cap", 12);
        Assert.True(whileSuspended.Ok, whileSuspended.ToString());
        Assert.Null(rig.Box.AppliedLimitAmps); // accepted, but dropped: the box would give the car its hardware maximum
        var since = rig.Box.EventSequence;

        await rig.ResumeByCarAsync();

        rig.AssertBoxAtEffectiveLimit(12);
        var resent = rig.Box.ReceivedCalls.Where(e => e.Sequence >= since && e.Action == "SetChargingProfile").ToArray();
        Assert.NotEmpty(resent);
        Assert.All(resent, e => Assert.Equal("TxProfile", (string?)e.Payload!["chargingProfile"]!["chargingProfilePurpose"]));
    }

    [Fact]
    public async Task Quirk05_the_TxDefaultProfile_is_on_the_box_before_the_car_plugs_in_so_the_session_never_starts_at_full_power()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.None with { FullPowerWithoutTxDefault = true });
        await rig.Claim("rule:cap", 10); // no car yet
        rig.AssertBoxAtEffectiveLimit(10);
        var since = rig.Box.EventSequence;

        await rig.PlugInAsync();

        rig.AssertBoxAtEffectiveLimit(10);
        Assert.DoesNotContain(rig.Box.Events, e => e.Sequence >= since && e.Kind == SimulatorEventKind.LimitChanged); // never at full power
    }

    [Fact]
    public async Task Quirk05_limitation_on_firmware_that_refuses_TxDefaultProfile_the_first_minutes_run_at_full_power()
    {
        var quirks = OtherFirmware with { FullPowerWithoutTxDefault = true };
        await using var rig = await LiveRig.StartAsync(output, quirks);
        await rig.Claim("rule:cap", 10);

        await rig.PlugInAsync();

        // The TxProfile is accepted, but the box ignores it for FullPowerDuration: nothing the controller can do.
        Assert.Equal(10, rig.Control.AppliedLimit);
        Assert.Null(rig.Box.AppliedLimitAmps);
        Assert.Equal(16, rig.Box.ChargingCurrentAmps);

        await rig.Timers.AdvanceWhenArmedAsync(quirks.FullPowerDuration);
        await rig.Box.WaitForAppliedLimitAsync(10).WaitAsync(Guard);
        rig.AssertBoxAtEffectiveLimit(10);
    }

    [Fact]
    public async Task Quirk06_ClearChargingProfile_answering_Unknown_is_not_an_error()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.None with { ClearAnswersUnknown = true });

        var clear = Assert.Single(rig.Box.ReceivedCalls, e => e.Action == "ClearChargingProfile");
        Assert.Equal("Unknown", (string?)clear.Response?["status"]);
        var result = await rig.Claim("rule:cap", 10);

        Assert.True(result.Ok, result.ToString());
        rig.AssertBoxAtEffectiveLimit(10);
        Assert.Null(rig.Control.LastRejected);
        Assert.DoesNotContain(rig.Logs.Lines, l => l.Contains("Warn ChargeController") || l.Contains("Erro ChargeController"));
    }

    [Fact]
    public async Task Quirk07_after_SuspendedEVSE_the_BMW_box_still_takes_the_TxDefaultProfile_so_pause_and_resume_need_no_reboot()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.None with { TxProfileLockAfterSuspendedEvse = true });
        await rig.PlugInAsync();

        await rig.ClaimAndWaitAsync("rule:solar", 0, reported: "SuspendedEVSE"); // this locks TxProfiles on the box
        var resume = await rig.ReleaseAndWaitAsync("rule:solar", reported: "Charging");
        Assert.True(resume.Ok, resume.ToString());
        await rig.Claim("rule:cap", 10);

        rig.AssertBoxAtEffectiveLimit(10);
        Assert.Equal(0, rig.Box.ReceivedCallCount("Reset"));
    }

    [Fact]
    public async Task Quirk07_when_every_profile_is_refused_the_box_is_rebooted_once_and_then_the_refusal_is_reported()
    {
        var quirks = OtherFirmware with { TxProfileLockAfterSuspendedEvse = true };
        await using var rig = await LiveRig.StartAsync(output, quirks, wallbox: o => o with { RebootMinInterval = TimeSpan.FromMinutes(30) });
        await rig.PlugInAsync();
        await PauseAsync(rig); // SuspendedEVSE: from now on the box refuses every TxProfile of this transaction
        var since = rig.Box.EventSequence;

        var resume = await rig.Release("rule:solar");

        Assert.Equal(ActionOutcome.Rejected, resume.Outcome);
        Assert.Contains("rebooting the wallbox (last resort)", resume.Message);
        await rig.CompleteRebootAsync(since);
        rig.AssertBoxAtEffectiveLimit(16); // the new transaction after the reboot takes the limit

        await PauseAsync(rig);
        var again = await rig.Release("rule:solar");

        Assert.Equal(ActionOutcome.Rejected, again.Outcome);
        Assert.Contains("no reboot: last reboot 1 min ago; at most one per 30 min", again.Message);
        Assert.Contains("SetChargingProfile rejected", rig.Control.LastRejected?.Message);
        Assert.Equal(16, rig.Control.EffectiveLimit);
        Assert.Equal(0, rig.Box.AppliedLimitAmps); // the box holds the pause; the controller says why
        Assert.Equal(1, rig.Box.ReceivedCallCount("Reset"));
    }

    [Fact]
    public async Task Quirk07_with_reboots_switched_off_a_refused_profile_is_only_reported()
    {
        var quirks = OtherFirmware with { TxProfileLockAfterSuspendedEvse = true };
        await using var rig = await LiveRig.StartAsync(output, quirks, wallbox: o => o with { AllowReboot = false });
        await rig.PlugInAsync();
        await PauseAsync(rig);

        var resume = await rig.Release("rule:solar");

        Assert.Equal(ActionOutcome.Rejected, resume.Outcome);
        Assert.Contains("no reboot: reboots are switched off (wallbox.allow_reboot = false)", resume.Message);
        Assert.Contains("SetChargingProfile rejected", rig.Control.LastRejected?.Message);
        Assert.Equal(0, rig.Box.ReceivedCallCount("Reset"));
        Assert.Equal(0, rig.Box.AppliedLimitAmps);
    }

    [Fact]
    public async Task Quirk08_a_frozen_total_Current_Import_does_not_fool_the_state_the_phases_do_count()
    {
        var poll = TimeSpan.FromSeconds(10);
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.None with { FrozenCurrentImport = true },
            wallbox: o => o with { MeterPollInterval = poll });
        await rig.PlugInAsync();
        await PollMeterAsync(rig, poll); // the total freezes at this first reading: 16 A
        Assert.Equal(16, rig.State.CurrentA);

        await rig.Claim("rule:cap", 10);
        var meter = await PollMeterAsync(rig, poll);

        Assert.Equal(16, TotalCurrentIn(meter)); // what the box claims
        Assert.Equal(10, rig.Box.ChargingCurrentAmps); // what flows
        Assert.Equal(10, rig.State.CurrentA);
        Assert.Equal(new PhaseValues(10, 10, 10), rig.State.PhaseCurrentA);
        Assert.Equal(6900, rig.State.PowerW);
    }

    [Fact]
    public async Task Quirk09_after_a_reconnect_the_TxProfile_fallback_uses_the_live_transaction_id()
    {
        await using var rig = await LiveRig.StartAsync(output, OtherFirmware with { StaleTransactionIdAfterReconnect = true, ReplayDeliveredEvents = true });
        await rig.PlugInAsync();
        await rig.Claim("rule:cap", 10);
        var staleId = rig.Box.TransactionId;
        var since = rig.Box.EventSequence;

        await rig.ReconnectAsync();

        Assert.NotEqual(staleId, rig.Box.TransactionId);
        Assert.Equal(rig.Box.TransactionId, rig.State.Transaction?.Id);
        var txProfiles = rig.Box.ReceivedCalls
            .Where(e => e.Sequence >= since && e.Action == "SetChargingProfile"
                && (string?)e.Payload!["chargingProfile"]!["chargingProfilePurpose"] == "TxProfile").ToArray();
        Assert.NotEmpty(txProfiles);
        Assert.All(txProfiles, e => Assert.Equal(rig.Box.TransactionId, (string?)e.Payload!["chargingProfile"]!["transactionId"]));
        Assert.All(txProfiles, e => Assert.Equal("Accepted", (string?)e.Response?["status"]));
        rig.AssertBoxAtEffectiveLimit(10);
        Assert.Equal(0, rig.Box.ReceivedCallCount("Reset"));
    }

    [Fact]
    public async Task Quirk10_pause_and_resume_never_send_RequestStopTransaction_so_the_box_never_sits_in_Finishing()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.None with { FinishingAfterRemoteStop = true },
            wallbox: o => o with { AllowReboot = false });
        await rig.PlugInAsync();
        var session = rig.Box.TransactionId;

        for (var cycle = 0; cycle < 3; cycle++)
        {
            await PauseAsync(rig);
            Assert.False(rig.Box.IsFinishing);
            rig.AssertBoxAtEffectiveLimit(0);
            var since = rig.Box.EventSequence;
            var resume = await rig.Controller.StartAsync("rule:solar").WaitAsync(Guard); // "start" on a running session = resume
            Assert.True(resume.Ok, resume.ToString());
            await rig.DeliveredAsync("TransactionEvent", since, m => (string?)m["transactionInfo"]?["chargingState"] == "Charging");
            await rig.IdleAsync();
            Assert.False(rig.Box.IsFinishing);
            rig.AssertBoxAtEffectiveLimit(16);
        }
        Assert.Equal(session, rig.Box.TransactionId); // one session throughout
        Assert.Equal(0, rig.Box.ReceivedCallCount("RequestStopTransaction"));

        // Only the explicit stop verb sends it, and it says what that means on this box.
        var stopped = rig.Box.EventSequence;
        var stop = await rig.Controller.StopAsync("cli").WaitAsync(Guard);
        Assert.Contains("cannot restart it remotely", stop.Message);
        Assert.True(rig.Box.IsFinishing);
        await rig.DeliveredAsync("TransactionEvent", stopped, m => (string?)m["eventType"] == "Ended");
        await rig.IdleAsync();
        var start = await rig.Controller.StartAsync("cli").WaitAsync(Guard);
        Assert.Equal(ActionOutcome.Rejected, start.Outcome);
        Assert.Contains("RequestStartTransaction rejected", start.Message);
    }

    [Fact]
    public async Task Quirk11_limitation_a_box_checking_certificates_refuses_the_self_signed_one_a_box_accepting_any_connects()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn, acceptAnyCertificate: false);

        var failed = await rig.Box.WaitForAsync(e => e.Kind == SimulatorEventKind.ConnectFailed, 0).WaitAsync(Guard);
        Assert.Contains(Chain(rig.Client.LastConnectError), e => e is AuthenticationException);
        Assert.False(rig.Box.IsConnected);
        Assert.False(rig.State.Connected);
        output.WriteLine($"strict box: {failed.Detail}");

        await rig.Client.StopAsync();
        await using var lenient = new SimulatedBoxClient(rig.Box, new SimulatedBoxClientOptions
        {
            ServerUri = rig.ServerUri,
            Password = LiveRig.Password,
            AcceptAnyServerCertificate = true,
        });
        await lenient.StartAsync();
        await rig.Box.WaitForBootAcceptedAsync().WaitAsync(Guard);
        await rig.IdleAsync();

        Assert.True(rig.State.Connected);
        rig.AssertBoxAtEffectiveLimit(16);
    }

    [Fact]
    public async Task Quirk12_events_the_box_replays_after_a_reconnect_do_not_roll_the_state_back()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.None with { ReplayDeliveredEvents = true });
        await rig.PlugInAsync();
        await rig.SuspendByCarAsync();
        await rig.ResumeByCarAsync(); // the box will replay SuspendedEV and Charging
        var before = rig.State.Transaction!;
        var seen = new List<WallboxEvent>();
        rig.Server.States.Changed += Record;
        var since = rig.Box.EventSequence;

        await rig.ReconnectAsync();
        rig.Server.States.Changed -= Record;

        var replayed = rig.Box.Events.Where(e => e.Sequence >= since && e.Kind == SimulatorEventKind.MessageSent
            && e.Action == "TransactionEvent" && (bool?)e.Payload!["offline"] == true).ToArray();
        Assert.Equal(2, replayed.Length);
        Assert.All(replayed, e => Assert.True((int)e.Payload!["seqNo"]! <= before.LastSeqNo));
        lock (seen)
        {
            Assert.DoesNotContain(seen, e => e.Kind is WallboxEventKind.ChargingStateChanged or WallboxEventKind.TransactionStarted or WallboxEventKind.TransactionEnded);
            Assert.All(seen, e => Assert.Equal(ChargingState.Charging, e.State.ChargingState));
        }
        Assert.Equal((before.Id, ChargingState.Charging), (rig.State.Transaction!.Id, rig.State.ChargingState));
        Assert.True(rig.State.Transaction.LastSeqNo > before.LastSeqNo); // the triggered report is newer
        rig.AssertBoxAtEffectiveLimit(16);

        void Record(WallboxEvent e)
        {
            lock (seen) seen.Add(e);
        }
    }

    /// <summary>A rule pauses charging (0 A); returns once the box reports SuspendedEVSE.</summary>
    private static async Task PauseAsync(LiveRig rig)
    {
        var pause = await rig.ClaimAndWaitAsync("rule:solar", 0, reported: "SuspendedEVSE");
        Assert.True(pause.Ok, pause.ToString());
    }

    /// <summary>Lets the controller's meter poll fire; returns the MeterValues the box sent in answer, once the server has it.</summary>
    private static async Task<System.Text.Json.Nodes.JsonNode> PollMeterAsync(LiveRig rig, TimeSpan poll)
    {
        var since = rig.Box.EventSequence;
        await rig.Timers.AdvanceWhenArmedAsync(poll);
        var sent = await rig.DeliveredAsync("MeterValues", since);
        return sent.Payload!;
    }

    private static double? TotalCurrentIn(System.Text.Json.Nodes.JsonNode meterValues)
        => meterValues["meterValue"]![0]!["sampledValue"]!.AsArray()
            .Where(v => (string?)v!["measurand"] == "Current.Import" && v["phase"] is null)
            .Select(v => (double?)v!["value"]).Single();

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }
}

using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox.Tests;

/// <summary>Each BMW field quirk on its own, and the well-behaved box without it.</summary>
public sealed class QuirkTests
{
    private static JsonObject GetHeartbeatInterval() => new()
    {
        ["getVariableData"] = new JsonArray(new JsonObject
        {
            ["component"] = new JsonObject { ["name"] = "OCPPCommCtrlr" },
            ["variable"] = new JsonObject { ["name"] = "HeartbeatInterval" },
        }),
    };

    // ---- 1: one call at a time, never abandoned ----

    [Fact]
    public async Task Q1_a_call_sent_before_the_previous_reply_is_answered_late()
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { OneCallAtATime = true, ReplyDelay = TimeSpan.FromSeconds(5) });
        var first = h.Box.HandleCallAsync("GetVariables", GetHeartbeatInterval());
        var second = h.Box.HandleCallAsync("GetTransactionStatus", new JsonObject());

        h.Time.Advance(TimeSpan.FromSeconds(5));
        await first.WaitAsync(TestTimeouts.Guard);
        Assert.False(second.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await second.WaitAsync(TestTimeouts.Guard);

        var answered = h.Box.ReceivedCalls.Single(e => e.Action == "GetTransactionStatus");
        Assert.Equal(Harness.Start.AddSeconds(10), answered.Time);
        Assert.False(h.Box.IsDesynchronised);
    }

    [Fact]
    public async Task Q1_without_the_quirk_overlapping_calls_are_answered_independently()
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { ReplyDelay = TimeSpan.FromSeconds(5) });
        var first = h.Box.HandleCallAsync("GetVariables", GetHeartbeatInterval());
        var second = h.Box.HandleCallAsync("GetTransactionStatus", new JsonObject());
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await Task.WhenAll(first, second).WaitAsync(TestTimeouts.Guard);
    }

    [Fact]
    public async Task Q1_strict_an_overlapping_call_breaks_every_later_call_until_reconnect()
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with
        {
            OneCallAtATime = true, StrictMessageIds = true, ReplyDelay = TimeSpan.FromSeconds(5),
        });
        var first = h.Box.HandleCallAsync("GetVariables", GetHeartbeatInterval());
        var second = h.Box.HandleCallAsync("GetTransactionStatus", new JsonObject());
        h.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(h.Box.IsDesynchronised);
        var error = await Assert.ThrowsAsync<OcppCallErrorException>(() => second.WaitAsync(TestTimeouts.Guard));
        Assert.Equal("GenericError", error.ErrorCode);
        var later = h.Box.HandleCallAsync("GetTransactionStatus", new JsonObject());
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<OcppCallErrorException>(() => later.WaitAsync(TestTimeouts.Guard));
        await Assert.ThrowsAsync<OcppCallErrorException>(() => first.WaitAsync(TestTimeouts.Guard));

        h.Box.DropConnection();
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));   // in-process reconnect after back-off
        var fresh = h.Box.HandleCallAsync("GetTransactionStatus", new JsonObject());
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await fresh.WaitAsync(TestTimeouts.Guard);
        Assert.False(h.Box.IsDesynchronised);
    }

    [Fact]
    public async Task Q1_strict_sequential_calls_are_fine()
    {
        await using var h = await Harness.StartAsync(BoxQuirks.AllOn);
        for (var i = 0; i < 3; i++) await h.CallAsync("GetVariables", GetHeartbeatInterval());
        Assert.False(h.Box.IsDesynchronised);
    }

    // ---- 2: unexpected messages; an error reply breaks the session ----

    [Fact]
    public async Task Q2_the_box_sends_the_extra_messages_at_boot_and_plug_in()
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { ExtraMessages = true });
        Assert.Equal(["BootNotification", "StatusNotification", "SecurityEventNotification", "NotifyEvent", "NotifyReport", "ClearedChargingLimit"],
            h.Csms.Actions);
        await h.PlugInAsync();
        Assert.Contains("NotifyEVChargingNeeds", h.Csms.Actions);
        Assert.Contains("NotifyChargingLimit", h.Csms.Actions);
        Assert.True(h.Box.IsConnected);
    }

    [Fact]
    public async Task Q2_a_CALLERROR_to_an_extra_message_breaks_the_session()
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { ExtraMessages = true });
        h.Csms.ErrorFor.Add("NotifyEVChargingNeeds");
        var since = h.Box.EventSequence;
        await h.PlugInAsync();

        Assert.False(h.Box.IsConnected);
        Assert.Contains(h.Csms.Closed, r => r.Contains("NotifyEVChargingNeeds"));
        Assert.DoesNotContain("NotifyChargingLimit", h.Csms.Actions);
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.True(h.Box.IsConnected);
        await h.Box.WaitForAsync(e => e.Kind == SimulatorEventKind.Connected, since).WaitAsync(TestTimeouts.Guard);
    }

    [Fact]
    public async Task Q2_without_the_quirk_no_extra_messages()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();
        Assert.DoesNotContain(h.Csms.Actions, a => a.StartsWith("Notify", StringComparison.Ordinal) || a.Contains("ChargingLimit") || a.StartsWith("Security", StringComparison.Ordinal));
    }

    // ---- 3: duplicate profile id rejected, then all TxProfiles of the transaction ----

    [Fact]
    public async Task Q3_second_replacement_of_an_id_is_rejected_and_poisons_the_transaction()
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { DuplicateProfileIdRejection = true });
        await h.PlugInAsync();
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 10)));
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 12)));
        Assert.Equal("Rejected", await h.SetProfileAsync(h.TxProfile(1, 8)));
        Assert.Equal("Rejected", await h.SetProfileAsync(h.TxProfile(2, 6)));
        Assert.Equal(12, h.Box.AppliedLimitAmps);
        // TxDefaultProfile is not affected.
        Assert.Equal("Accepted", await h.SetProfileAsync(Harness.TxDefault(100, 9)));

        h.Box.Unplug();
        await h.PlugInAsync();
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 8)));
    }

    [Fact]
    public async Task Q3_without_the_quirk_replacements_are_always_accepted()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();
        foreach (var limit in new[] { 10.0, 12, 8, 6 }) Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, limit)));
        Assert.Equal(6, h.Box.AppliedLimitAmps);
    }

    // ---- 4: TxProfile while suspended accepted but discarded ----

    [Theory]
    [InlineData(true, null)]     // hardware max after resume
    [InlineData(false, 8.0)]
    public async Task Q4_TxProfile_sent_while_suspended(bool quirk, double? limitAfterResume)
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { DiscardTxProfileWhileSuspended = quirk });
        await h.PlugInAsync();
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 10)));
        h.Box.SuspendByCar();
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 8)));
        h.Box.ResumeByCar();

        Assert.Equal(limitAfterResume, h.Box.AppliedLimitAmps);
        Assert.Equal(limitAfterResume ?? 16, h.Box.ChargingCurrentAmps);
        // The cure: re-send the limit after Suspended → Charging.
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 8)));
        Assert.Equal(8, h.Box.ChargingCurrentAmps);
    }

    // ---- 5: full power for the first minutes without a TxDefaultProfile ----

    [Fact]
    public async Task Q5_without_TxDefaultProfile_the_session_starts_at_full_power()
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { FullPowerWithoutTxDefault = true });
        await h.PlugInAsync();
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 8)));
        Assert.Null(h.Box.AppliedLimitAmps);
        Assert.Equal(16, h.Box.ChargingCurrentAmps);

        await h.AdvanceAsync(TimeSpan.FromMinutes(6));
        Assert.Equal(8, h.Box.AppliedLimitAmps);
        Assert.Equal((16 * 5 + 8 * 1) * 230 * 3 / 60.0, h.Box.EnergyRegisterWh, 6);
    }

    [Fact]
    public async Task Q5_a_TxDefaultProfile_before_plug_in_limits_from_the_start()
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { FullPowerWithoutTxDefault = true });
        Assert.Equal("Accepted", await h.SetProfileAsync(Harness.TxDefault(100, 10)));
        await h.PlugInAsync();
        Assert.Equal(10, h.Box.ChargingCurrentAmps);
    }

    // ---- 6: ClearChargingProfile answers Unknown ----

    [Theory]
    [InlineData(true, "Unknown")]
    [InlineData(false, "Accepted")]
    public async Task Q6_clearing_nothing(bool quirk, string expected)
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { ClearAnswersUnknown = quirk });
        var result = await h.CallAsync("ClearChargingProfile", new JsonObject { ["chargingProfileId"] = 77 });
        Assert.Equal(expected, Harness.Status(result));
    }

    // ---- 7: after SuspendedEVSE/Faulted TxProfiles are refused until reboot ----

    [Fact]
    public async Task Q7_after_a_pause_TxProfiles_are_refused_but_a_fixed_id_TxDefaultProfile_works()
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { TxProfileLockAfterSuspendedEvse = true });
        await h.PlugInAsync();
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 0)));
        Assert.Equal("SuspendedEVSE", h.Box.ChargingState);
        Assert.Equal("Rejected", await h.SetProfileAsync(h.TxProfile(1, 10)));

        Assert.Equal("Accepted", Harness.Status(await h.CallAsync("ClearChargingProfile", new JsonObject { ["chargingProfileId"] = 1 })));
        foreach (var limit in new[] { 32.0, 10, 6 })
        {
            Assert.Equal("Accepted", await h.SetProfileAsync(Harness.TxDefault(100, limit)));
            Assert.Equal(Math.Min(limit, 16), h.Box.AppliedLimitAmps);
        }
        Assert.Equal("Charging", h.Box.ChargingState);
        Assert.Equal(6, h.Box.ChargingCurrentAmps);
    }

    [Fact]
    public async Task Q7_a_fault_locks_TxProfiles_and_a_reboot_clears_the_lock()
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { TxProfileLockAfterSuspendedEvse = true });
        await h.PlugInAsync();
        h.Box.InjectFault();
        h.Box.ClearFault();
        Assert.Equal("Rejected", await h.SetProfileAsync(h.TxProfile(1, 10)));

        Assert.Equal("Accepted", Harness.Status(await h.CallAsync("Reset", new JsonObject { ["type"] = "Immediate" })));
        await h.AdvanceAsync(TimeSpan.FromSeconds(61));
        Assert.True(h.Box.IsBootAccepted);
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 10)));
    }

    [Fact]
    public async Task Q7_without_the_quirk_TxProfiles_work_after_a_pause()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 0)));
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 10)));
        Assert.Equal(10, h.Box.ChargingCurrentAmps);
    }

    [Fact]
    public async Task Q7_other_firmware_rejects_TxDefaultProfile()
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { RejectTxDefaultProfile = true });
        Assert.Equal("Rejected", await h.SetProfileAsync(Harness.TxDefault(100, 10)));
        Assert.Empty(h.Box.InstalledProfiles);
        Assert.False(BoxQuirks.AllOn.RejectTxDefaultProfile);
    }

    // ---- 8: frozen non-phased Current.Import ----

    [Theory]
    [InlineData(true, 16.0)]
    [InlineData(false, 8.0)]
    public async Task Q8_the_non_phased_current_freezes_while_phases_stay_correct(bool quirk, double total)
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { FrozenCurrentImport = quirk });
        await h.PlugInAsync();
        await h.CallAsync("TriggerMessage", new JsonObject { ["requestedMessage"] = "MeterValues" });
        await h.SetProfileAsync(h.TxProfile(1, 8));
        await h.CallAsync("TriggerMessage", new JsonObject { ["requestedMessage"] = "MeterValues" });

        var latest = h.Csms.Of("MeterValues")[^1];
        Assert.Equal(total, Harness.Sampled(latest, "Current.Import"));
        foreach (var phase in new[] { "L1", "L2", "L3" }) Assert.Equal(8, Harness.Sampled(latest, "Current.Import", phase));
        Assert.Equal(8 * 230 * 3, Harness.Sampled(latest, "Power.Active.Import"));
    }

    // ---- 9: stale transaction id after reconnect ----

    [Fact]
    public async Task Q9_after_a_reconnect_the_old_id_is_stale_and_TriggerMessage_reveals_the_live_one()
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { StaleTransactionIdAfterReconnect = true });
        await h.PlugInAsync();
        var old = h.Box.TransactionId!;
        h.Box.DropConnection();
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        var live = h.Box.TransactionId!;
        Assert.NotEqual(old, live);

        Assert.Equal("Rejected", await h.SetProfileAsync(h.TxProfile(1, 10, old)));
        Assert.Equal("Accepted", Harness.Status(await h.CallAsync("TriggerMessage", new JsonObject { ["requestedMessage"] = "TransactionEvent" })));
        var recovered = h.Csms.Of("TransactionEvent")[^1];
        Assert.Equal("Updated", (string?)recovered["eventType"]);
        Assert.Equal("Trigger", (string?)recovered["triggerReason"]);
        Assert.Equal(live, (string?)recovered["transactionInfo"]!["transactionId"]);
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 10, live)));
        Assert.Equal(10, h.Box.ChargingCurrentAmps);
    }

    [Fact]
    public async Task Q9_without_the_quirk_the_id_survives_a_reconnect()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();
        var id = h.Box.TransactionId;
        h.Box.DropConnection();
        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.True(h.Box.IsConnected);
        Assert.Equal(id, h.Box.TransactionId);
    }

    // ---- 10: RequestStopTransaction leaves the box Finishing ----

    [Fact]
    public async Task Q10_after_a_remote_stop_no_remote_start_until_unplug()
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { FinishingAfterRemoteStop = true });
        await h.PlugInAsync();
        var stop = await h.CallAsync("RequestStopTransaction", new JsonObject { ["transactionId"] = h.Box.TransactionId });
        Assert.Equal("Accepted", Harness.Status(stop));
        var ended = h.Csms.Of("TransactionEvent")[^1];
        Assert.Equal("Ended", (string?)ended["eventType"]);
        Assert.Equal("Remote", (string?)ended["transactionInfo"]!["stoppedReason"]);
        Assert.True(h.Box.IsFinishing);
        Assert.Equal("Occupied", h.Box.ConnectorStatus);

        var start = await h.CallAsync("RequestStartTransaction", RemoteStart(7));
        Assert.Equal("Rejected", Harness.Status(start));
        Assert.Null(h.Box.TransactionId);
        Assert.Equal(0, h.Box.ChargingCurrentAmps);

        h.Box.Unplug();
        await h.PlugInAsync();
        Assert.Equal("Charging", h.Box.ChargingState);
    }

    [Fact]
    public async Task Q10_without_the_quirk_a_remote_start_after_a_remote_stop_works()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();
        await h.CallAsync("RequestStopTransaction", new JsonObject { ["transactionId"] = h.Box.TransactionId });
        var start = await h.CallAsync("RequestStartTransaction", RemoteStart(7));
        Assert.Equal("Accepted", Harness.Status(start));
        Assert.Equal(h.Box.TransactionId, (string?)start["transactionId"]);
        var started = h.Csms.Of("TransactionEvent").Single(e => (string?)e["triggerReason"] == "RemoteStart");
        Assert.Equal(7, (int?)started["transactionInfo"]!["remoteStartId"]);
        Assert.Equal("Charging", h.Box.ChargingState);
    }

    private static JsonObject RemoteStart(int id) => new()
    {
        ["remoteStartId"] = id,
        ["idToken"] = new JsonObject { ["idToken"] = "RULES", ["type"] = "Central" },
    };

    // ---- 12: offline queue and replays ----

    [Theory]
    [InlineData(false, new[] { 2, 3 })]
    [InlineData(true, new[] { 0, 1, 2, 3 })]
    public async Task Q12_events_from_offline_are_replayed_marked_offline(bool quirk, int[] replayedSeqNos)
    {
        await using var h = await Harness.StartAsync(BoxQuirks.None with { ReplayDeliveredEvents = quirk });
        await h.PlugInAsync();                          // seqNo 0 (Started), 1 (Charging) delivered
        h.Box.DropConnection();
        h.Box.SuspendByCar();                           // seqNo 2, while offline
        h.Box.ResumeByCar();                            // seqNo 3
        await h.Box.FlushAsync();
        Assert.Equal(2, h.Csms.Of("TransactionEvent").Count);
        h.Csms.Clear();

        await h.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal("StatusNotification", h.Csms.Actions[0]);
        var replayed = h.Csms.Of("TransactionEvent");
        Assert.Equal(replayedSeqNos, replayed.Select(e => (int)e["seqNo"]!));
        Assert.All(replayed, e => Assert.True((bool?)e["offline"]));
    }

    [Fact]
    public async Task All_quirks_on_still_charge_under_the_recommended_strategy()
    {
        // Strategy from src/BMW_WALLBOX.md (quirk 7): a fixed-id TxDefaultProfile before plug-in, replaced in place.
        await using var h = await Harness.StartAsync(BoxQuirks.AllOn);
        Assert.Equal("Accepted", await h.SetProfileAsync(Harness.TxDefault(100, 10)));
        await h.PlugInAsync();
        Assert.Equal(10, h.Box.ChargingCurrentAmps);
        Assert.Equal("Accepted", await h.SetProfileAsync(Harness.TxDefault(100, 0)));
        Assert.Equal("SuspendedEVSE", h.Box.ChargingState);
        Assert.Equal("Accepted", await h.SetProfileAsync(Harness.TxDefault(100, 7)));
        Assert.Equal("Charging", h.Box.ChargingState);
        Assert.Equal(7, h.Box.AppliedLimitAmps);
        Assert.Equal(0, h.Box.ReceivedCallCount("RequestStopTransaction"));
    }
}

using BmwWallbox.Core;
using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox.Tests;

public sealed class ResetTests
{
    [Fact]
    public async Task Immediate_reset_reboots_for_a_minute_keeps_TxDefaultProfile_and_starts_a_new_transaction()
    {
        await using var h = await Harness.StartAsync();
        Assert.Equal("Accepted", await h.SetProfileAsync(Harness.TxDefault(100, 10)));
        await h.PlugInAsync();
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 8)));
        var oldTx = h.Box.TransactionId;
        h.Csms.Clear();

        var result = await h.CallAsync("Reset", new JsonObject { ["type"] = "Immediate" });
        Assert.Equal("Accepted", Harness.Status(result));
        Assert.True(h.Box.IsRebooting);
        Assert.False(h.Box.IsConnected);
        Assert.Contains("reboot", h.Csms.Closed);
        Assert.Equal(0, h.Box.ChargingCurrentAmps);
        Assert.Throws<InvalidOperationException>(() => h.Box.HandleCallAsync("GetTransactionStatus", new JsonObject()).GetAwaiter().GetResult());

        await h.AdvanceAsync(TimeSpan.FromSeconds(59));
        Assert.False(h.Box.IsConnected);
        Assert.Empty(h.Csms.Received);
        await h.AdvanceAsync(TimeSpan.FromSeconds(2));

        Assert.True(h.Box.IsBootAccepted);
        Assert.Equal(2, h.Box.BootCount);
        Assert.Equal("RemoteReset", (string?)h.Csms.Of("BootNotification").Single()["reason"]);
        var events = h.Csms.Of("TransactionEvent");
        Assert.Equal("Ended", (string?)events[0]["eventType"]);
        Assert.Equal("ImmediateReset", (string?)events[0]["transactionInfo"]!["stoppedReason"]);
        Assert.Equal(oldTx, (string?)events[0]["transactionInfo"]!["transactionId"]);
        Assert.Equal("Started", (string?)events[1]["eventType"]);
        Assert.NotEqual(oldTx, h.Box.TransactionId);
        var profile = Assert.Single(h.Box.InstalledProfiles);
        Assert.Equal("TxDefaultProfile", profile.Purpose);
        Assert.Equal(10, h.Box.AppliedLimitAmps);
        Assert.Equal(10, h.Box.ChargingCurrentAmps);
    }

    [Fact]
    public async Task OnIdle_reset_waits_for_the_transaction_to_end()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();
        Assert.Equal("Scheduled", Harness.Status(await h.CallAsync("Reset", new JsonObject { ["type"] = "OnIdle" })));
        Assert.False(h.Box.IsRebooting);
        h.Box.Unplug();
        Assert.True(h.Box.IsRebooting);
    }

    [Fact]
    public async Task Reset_of_a_single_evse_is_rejected()
    {
        await using var h = await Harness.StartAsync();
        var result = await h.CallAsync("Reset", new JsonObject { ["type"] = "Immediate", ["evseId"] = 1 });
        Assert.Equal("Rejected", Harness.Status(result));
        Assert.False(h.Box.IsRebooting);
    }

    [Fact]
    public async Task Boot_pending_is_retried_after_the_interval_and_a_rejected_box_refuses_calls()
    {
        var options = new SimulatedBoxOptions { SendHeartbeats = false };
        var time = new ManualClock(Harness.Start);
        await using var box = new SimulatedWallbox(options, time);
        var csms = new FakeCsms { BootStatus = "Rejected" };
        box.AttachInProcess(csms);
        await box.FlushAsync();
        Assert.False(box.IsBootAccepted);
        var error = await Assert.ThrowsAsync<OcppCallErrorException>(() => box.HandleCallAsync("GetTransactionStatus", new JsonObject()));
        Assert.Equal("SecurityError", error.ErrorCode);

        csms.BootStatus = "Accepted";
        time.Advance(TimeSpan.FromSeconds(9));
        await box.FlushAsync();
        Assert.Single(csms.Of("BootNotification"));
        time.Advance(TimeSpan.FromSeconds(1));
        await box.FlushAsync();
        Assert.Equal(2, csms.Of("BootNotification").Count);
        Assert.True(box.IsBootAccepted);
    }
}

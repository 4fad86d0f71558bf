using BmwWallbox.Charging.Tests.TestDoubles;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging.Tests;

public class WallboxEventTests
{
    [Fact]
    public async Task The_limit_is_sent_again_on_every_transaction_start()
    {
        await using var h = new Harness();
        await h.Connect();
        await h.Claim("rule:cap", 10);
        h.Link.Clear();

        await h.StartTransaction("tx-1");

        Assert.Equal(10, Assert.Single(h.Link.Profiles).LimitAmps);
    }

    [Theory]
    [InlineData(ChargingState.SuspendedEV)]
    [InlineData(ChargingState.SuspendedEVSE)]
    public async Task The_limit_is_sent_again_when_charging_resumes_after_a_suspension(ChargingState suspended)
    {
        await using var h = new Harness();
        await h.Charging();
        await h.Claim("rule:cap", 10);
        await h.ChangeChargingState(suspended);
        h.Link.Clear();

        await h.ChangeChargingState(ChargingState.Charging);

        Assert.Equal(10, Assert.Single(h.Link.Profiles).LimitAmps);
    }

    [Fact]
    public async Task Entering_a_suspension_sends_nothing()
    {
        await using var h = new Harness();
        await h.Charging();

        await h.ChangeChargingState(ChargingState.SuspendedEV);

        Assert.Empty(h.Link.Calls);
    }

    [Fact]
    public async Task On_boot_the_live_transaction_is_recovered_before_transaction_bound_commands()
    {
        await using var h = new Harness();
        h.Link.RejectProfiles(ProfilePurpose.TxDefaultProfile);
        await h.Charging("tx-3");

        await h.Boot();

        Assert.Equal(new LinkCall("TriggerMessage", EvseId: 1, Trigger: TriggerKind.TransactionEvent), h.Link.Calls[0]);
        Assert.DoesNotContain(h.Link.Profiles, p => p.Purpose == ProfilePurpose.TxProfile); // the id may be stale until the box reports

        await h.ReportTransaction();

        var txProfile = h.Link.Profiles.Single(p => p.Purpose == ProfilePurpose.TxProfile);
        Assert.Equal("tx-3", txProfile.TransactionId);
    }

    [Fact]
    public async Task After_a_reconnect_the_TxProfile_goes_to_the_transaction_id_the_box_reports_not_the_stale_one()
    {
        await using var h = new Harness();
        h.Link.RejectProfiles(ProfilePurpose.TxDefaultProfile);
        await h.Charging("tx-old");
        await h.Disconnect();
        h.Link.Clear();

        await h.Connect();
        await h.ReportTransaction("tx-live"); // quirk 9: the box renamed its transaction

        var txProfiles = h.Link.Profiles.Where(p => p.Purpose == ProfilePurpose.TxProfile).ToArray();
        Assert.NotEmpty(txProfiles);
        Assert.All(txProfiles, p => Assert.Equal("tx-live", p.TransactionId));
        Assert.Equal(32, h.Control.AppliedLimit);
    }

    [Fact]
    public async Task Without_a_report_from_the_box_the_TxProfile_goes_to_the_known_transaction_after_a_while()
    {
        await using var h = new Harness();
        h.Link.RejectProfiles(ProfilePurpose.TxDefaultProfile);
        await h.Charging("tx-3");
        h.Link.Clear();

        await h.Boot();
        Assert.DoesNotContain(h.Link.Profiles, p => p.Purpose == ProfilePurpose.TxProfile);
        await h.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("tx-3", h.Link.Profiles.Single(p => p.Purpose == ProfilePurpose.TxProfile).TransactionId);
    }

    [Fact]
    public async Task On_connect_the_transaction_is_triggered_then_the_variable_set_then_the_limit_applied()
    {
        await using var h = new Harness();

        await h.Connect();

        Assert.Equal(
            ["TriggerMessage", "SetVariable", "SetChargingProfile", "ClearChargingProfile"],
            h.Link.Calls.Select(c => c.Command));
        var setVariable = h.CallsOf("SetVariable").Single();
        Assert.Equal(("TxCtrlr.StopTxOnEVSideDisconnect", "false"), (setVariable.Variable, setVariable.Value));
    }

    [Fact]
    public async Task A_box_that_connects_and_boots_gets_each_link_up_command_once()
    {
        await using var h = new Harness();

        await h.ConnectSilently();
        Assert.Empty(h.Link.Calls); // nothing goes to a box before its first message: it may be booting
        await h.Boot();
        await h.Advance(ChargeController.FirstMessageWait);

        Assert.Equal(
            ["TriggerMessage", "SetVariable", "SetChargingProfile", "ClearChargingProfile"],
            h.Link.Calls.Select(c => c.Command));
    }

    [Fact]
    public async Task A_box_that_reconnects_and_says_nothing_is_linked_up_once_the_wait_for_its_first_message_ends()
    {
        await using var h = new Harness();

        await h.ConnectSilently();
        await h.Advance(ChargeController.FirstMessageWait - TimeSpan.FromMilliseconds(1));
        Assert.Empty(h.Link.Calls);
        await h.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(
            ["TriggerMessage", "SetVariable", "SetChargingProfile", "ClearChargingProfile"],
            h.Link.Calls.Select(c => c.Command));
        await h.FirstMessage(); // its first message after the wait changes nothing more
        Assert.Equal(4, h.Link.Calls.Count);
    }

    [Fact]
    public async Task A_box_that_drops_before_its_first_message_is_not_linked_up()
    {
        await using var h = new Harness();

        await h.ConnectSilently();
        await h.Disconnect();
        await h.Advance(ChargeController.FirstMessageWait);

        Assert.Empty(h.Link.Calls);
    }

    [Fact]
    public async Task A_box_that_boots_while_its_connect_is_handled_gets_each_command_once_for_the_boot()
    {
        await using var h = new Harness();
        var release = new TaskCompletionSource();
        var triggered = new TaskCompletionSource();
        h.Link.Gate = release.Task;
        h.Link.Called += c => { if (c.Command == "TriggerMessage") triggered.TrySetResult(); };

        var connected = h.Connect();
        await triggered.Task.WaitAsync(TestTimeouts.Guard); // the connect's TriggerMessage is in flight
        var booted = h.Boot();
        release.SetResult();
        await connected;
        await booted;

        Assert.Equal(
            ["TriggerMessage", "TriggerMessage", "SetVariable", "SetChargingProfile", "ClearChargingProfile"],
            h.Link.Calls.Select(c => c.Command));
    }

    [Fact]
    public async Task A_rejected_StopTxOnEVSideDisconnect_is_logged_once_as_information_and_sent_once_per_connection()
    {
        await using var h = new Harness();
        var previous = h.Link.Respond;
        h.Link.Respond = c => c.Command == "SetVariable" ? LinkResult.Rejected("Rejected") : previous(c);

        await h.Connect();
        await h.Boot();
        await h.Disconnect();
        await h.Connect();

        Assert.Equal(2, h.CallsOf("SetVariable").Count);
        var mentions = h.Log.Entries.Where(e => e.Message.Contains("StopTxOnEVSideDisconnect")).ToArray();
        var info = Assert.Single(mentions, e => e.Level == LogLevel.Information);
        Assert.Contains("known limitation", info.Message);
        Assert.DoesNotContain(mentions, e => e.Level >= LogLevel.Warning);
        Assert.Null(h.Control.LastRejected);
    }

    [Fact]
    public async Task Meter_values_are_polled_while_a_transaction_runs()
    {
        await using var h = new Harness();
        await h.Connect();
        await h.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(MeterPolls(h));

        await h.StartTransaction();
        await h.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(MeterPolls(h));
        await h.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, MeterPolls(h).Length);

        await h.EndTransaction();
        await h.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, MeterPolls(h).Length);
    }

    [Fact]
    public async Task Polling_stops_while_the_box_is_disconnected()
    {
        await using var h = new Harness();
        await h.Charging();

        await h.Disconnect();
        await h.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(MeterPolls(h));
    }

    [Fact]
    public async Task Events_of_another_station_are_ignored()
    {
        await using var h = new Harness();
        var other = new WallboxState { StationId = "OTHER", Name = "other", Connected = true };

        h.Controller.OnWallboxEvent(new WallboxEvent(WallboxEventKind.Connected, h.Time.GetUtcNow(), other, null));
        h.Controller.OnWallboxEvent(new WallboxEvent(WallboxEventKind.Heartbeat, h.Time.GetUtcNow(), other, other));
        await h.Advance(ChargeController.FirstMessageWait);

        Assert.Empty(h.Link.Calls);
    }

    private static LinkCall[] MeterPolls(Harness h)
        => h.CallsOf("TriggerMessage").Where(c => c.Trigger == TriggerKind.MeterValues).ToArray();
}

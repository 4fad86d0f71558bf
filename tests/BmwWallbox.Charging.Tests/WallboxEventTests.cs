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

        var calls = h.Link.Calls;
        Assert.Equal(new LinkCall("TriggerMessage", EvseId: 1, Trigger: TriggerKind.TransactionEvent), calls[0]);
        var txProfile = calls.ToList().FindIndex(c => c.Profile?.Purpose == ProfilePurpose.TxProfile);
        Assert.True(txProfile > 0, string.Join(", ", calls));
        Assert.Equal("tx-3", calls[txProfile].Profile!.TransactionId);
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
        await h.Idle();

        Assert.Empty(h.Link.Calls);
    }

    private static LinkCall[] MeterPolls(Harness h)
        => h.CallsOf("TriggerMessage").Where(c => c.Trigger == TriggerKind.MeterValues).ToArray();
}

using BmwWallbox.Charging.Tests.TestDoubles;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging.Tests;

public class ActionTests
{
    [Fact]
    public async Task Without_a_connection_actions_say_so_and_a_claim_is_kept_for_the_connect()
    {
        await using var h = new Harness();

        var claim = await h.Claim("mqtt", 10, ClaimKind.Manual);
        var start = await h.Run(h.Controller.StartAsync("mqtt"));
        var stop = await h.Run(h.Controller.StopAsync("mqtt"));
        var reboot = await h.Run(h.Controller.RebootAsync("mqtt"));

        Assert.All([claim, start, stop, reboot], r => Assert.Equal(ActionOutcome.NotConnected, r.Outcome));
        Assert.StartsWith("Wallbox not connected", claim.Message);
        Assert.Equal("Wallbox not connected", start.Message);
        Assert.Empty(h.Link.Calls);
        Assert.Equal("mqtt", h.Control.LimitSource);
        // The kept claim is logged as news; the start, stop and reboot the box never got as warnings.
        Assert.Equal(["start", "stop", "reboot"], h.Log.AtLeast(LogLevel.Warning).Select(e => e.Message.Split(' ')[1]));

        await h.Connect();
        Assert.Equal(10, h.Link.Profiles.Single().LimitAmps);
    }

    [Fact]
    public async Task A_timed_out_profile_is_reported_as_such()
    {
        await using var h = new Harness();
        await h.Charging();
        h.Link.Respond = c => c.Command == "SetChargingProfile" ? LinkResult.TimedOut : LinkResult.Accepted;

        var result = await h.Claim("rule:cap", 10);

        Assert.Equal(ActionOutcome.TimedOut, result.Outcome);
        Assert.StartsWith("Command timed out", result.Message);
        Assert.Equal(32, h.Control.AppliedLimit);
    }

    [Fact]
    public async Task Start_without_a_transaction_requests_one_with_a_fresh_remote_start_id_and_applies_the_limit()
    {
        await using var h = new Harness();
        await h.Connect();
        await h.Claim("rule:cap", 10);
        h.Link.Clear();

        var first = await h.Run(h.Controller.StartAsync("mqtt"));
        var second = await h.Run(h.Controller.StartAsync("mqtt"));

        Assert.True(first.Ok, first.ToString());
        var starts = h.CallsOf("RequestStartTransaction");
        Assert.Equal(2, starts.Count);
        Assert.All(starts, s => Assert.Equal((1, "bmw-rules"), (s.EvseId, s.IdToken)));
        Assert.NotEqual(starts[0].RemoteStartId, starts[1].RemoteStartId);
        Assert.Equal(10, h.Link.Profiles.First().LimitAmps);
        Assert.True(second.Ok);
    }

    [Fact]
    public async Task Start_on_a_running_transaction_drops_the_sources_own_pause_and_resumes()
    {
        await using var h = new Harness(new WallboxOptions { MinChangeInterval = TimeSpan.Zero });
        await h.Charging();
        await h.Run(h.Controller.PauseAsync("mqtt", ClaimKind.Manual));
        Assert.Equal(0, h.Control.AppliedLimit);

        var start = await h.Run(h.Controller.StartAsync("mqtt"));

        Assert.True(start.Ok, start.ToString());
        Assert.Empty(h.CallsOf("RequestStartTransaction"));
        Assert.Equal(32, h.Control.AppliedLimit);
    }

    [Fact]
    public async Task Start_drops_a_persons_separate_pause_and_goes_out_at_once()
    {
        await using var h = new Harness(); // shipped pacing: a rule's raise would wait 30 s
        await h.Charging();
        await h.Run(h.Controller.PauseByPersonAsync("mqtt"));
        Assert.Equal(0, h.Control.AppliedLimit);

        var start = await h.Run(h.Controller.StartAsync("mqtt"));

        Assert.True(start.Ok, start.ToString());
        Assert.Empty(h.Control.Claims);
        Assert.Equal(32, h.Control.AppliedLimit);
    }

    [Fact]
    public async Task Start_on_a_session_awaiting_authorization_asks_the_box_to_authorize_it_and_a_refusal_reboots_nothing()
    {
        await using var h = new Harness();
        await h.Connect();
        await h.Emit(WallboxEventKind.TransactionStarted, s => s with
        {
            Status = ConnectorStatus.Occupied,
            Transaction = new TransactionInfo("tx-1", h.Time.GetUtcNow(), ChargingState.EVConnected, IdToken: null, LastSeqNo: 0),
        });
        var previous = h.Link.Respond;
        h.Link.Respond = c => c.Command == "RequestStartTransaction" ? LinkResult.Rejected("Rejected") : previous(c);

        var start = await h.Run(h.Controller.StartAsync("mqtt"));

        Assert.Equal(ActionOutcome.Rejected, start.Outcome);
        Assert.Equal("RequestStartTransaction (to authorize transaction tx-1) rejected: Rejected", start.Message);
        Assert.Equal((1, "bmw-rules"), (h.CallsOf("RequestStartTransaction").Single().EvseId, h.CallsOf("RequestStartTransaction").Single().IdToken));
        Assert.Empty(h.CallsOf("Reset")); // a reboot would only open another unauthorized session
    }

    [Fact]
    public async Task Start_does_not_override_another_sources_pause()
    {
        await using var h = new Harness();
        await h.Charging();
        await h.Claim("rule:solar", 0);

        var start = await h.Run(h.Controller.StartAsync("mqtt"));

        Assert.Equal(ActionOutcome.Rejected, start.Outcome);
        Assert.Contains("paused by claim 'rule:solar'", start.Message);
        Assert.Equal(0, h.Control.AppliedLimit);
    }

    [Fact]
    public async Task A_refused_remote_start_reboots_as_last_resort_only_when_allowed()
    {
        await using var allowed = new Harness();
        await using var forbidden = new Harness(new WallboxOptions { AllowReboot = false });
        foreach (var h in new[] { allowed, forbidden })
        {
            await h.Connect();
            var previous = h.Link.Respond;
            h.Link.Respond = c => c.Command == "RequestStartTransaction" ? LinkResult.Rejected("Rejected") : previous(c);
        }

        var rebooted = await allowed.Run(allowed.Controller.StartAsync("cli"));
        var reported = await forbidden.Run(forbidden.Controller.StartAsync("cli"));

        Assert.Contains("rebooting", rebooted.Message);
        Assert.Single(allowed.CallsOf("Reset"));
        Assert.Equal(ActionOutcome.Rejected, reported.Outcome);
        Assert.Contains("RequestStartTransaction rejected", reported.Message);
        Assert.Empty(forbidden.CallsOf("Reset"));
    }

    [Fact]
    public async Task Stop_requests_the_stop_and_warns_that_the_box_cannot_restart_remotely()
    {
        await using var h = new Harness();
        await h.Charging("tx-5");

        var result = await h.Run(h.Controller.StopAsync("cli"));

        Assert.True(result.Ok, result.ToString());
        Assert.Equal("tx-5", h.CallsOf("RequestStopTransaction").Single().TransactionId);
        Assert.Contains("unplug", result.Message);
        Assert.Contains(h.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Finishing") && Equals(e.Properties["Tx"], "tx-5"));
    }

    [Fact]
    public async Task Stop_without_a_transaction_says_there_is_no_session()
    {
        await using var h = new Harness();
        await h.Connect();

        var result = await h.Run(h.Controller.StopAsync("cli"));

        Assert.Equal(ActionResult.Rejected("stop", "No active charging session"), result);
        Assert.Empty(h.CallsOf("RequestStopTransaction"));
    }

    [Fact]
    public async Task Reboot_marks_the_box_rebooting_until_it_boots_or_the_timeout_passes()
    {
        await using var h = new Harness(new WallboxOptions { RebootMinInterval = TimeSpan.Zero });
        await h.Connect();

        var first = await h.Run(h.Controller.RebootAsync("cli"));
        Assert.True(first.Ok, first.ToString());
        Assert.True(h.Control.Rebooting);
        await h.Boot();
        Assert.False(h.Control.Rebooting);

        await h.Run(h.Controller.RebootAsync("cli"));
        Assert.True(h.Control.Rebooting);
        await h.Advance(h.Options.RebootTimeout);
        Assert.False(h.Control.Rebooting);
        Assert.Equal(2, h.CallsOf("Reset").Count);
    }

    [Fact]
    public async Task Reboot_is_refused_when_switched_off_or_too_soon()
    {
        await using var off = new Harness(new WallboxOptions { AllowReboot = false });
        await using var h = new Harness();
        await off.Connect();
        await h.Connect();

        var disabled = await off.Run(off.Controller.RebootAsync("cli"));
        await h.Run(h.Controller.RebootAsync("cli"));
        await h.Advance(TimeSpan.FromMinutes(10));
        var tooSoon = await h.Run(h.Controller.RebootAsync("cli"));

        Assert.Contains("allow_reboot", disabled.Message);
        Assert.Empty(off.CallsOf("Reset"));
        Assert.Equal(ActionOutcome.Rejected, tooSoon.Outcome);
        Assert.Contains("last reboot 10 min ago", tooSoon.Message);
        Assert.Single(h.CallsOf("Reset"));
    }

    [Fact]
    public async Task Commands_go_out_one_at_a_time_and_a_cancelled_caller_never_abandons_the_call()
    {
        await using var h = new Harness();
        await h.Charging();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Link.Called += _ => firstCall.TrySetResult();
        h.Link.Gate = gate.Task;
        using var impatient = new CancellationTokenSource();

        var cancelled = h.Controller.ClaimAsync(new ClaimRequest("rule:cap", 10), impatient.Token);
        var queued = h.Controller.ClaimAsync(new ClaimRequest("rule:solar", 8));
        var start = h.Controller.StartAsync("cli");
        await firstCall.Task.WaitAsync(TestTimeouts.Guard);
        impatient.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TestTimeouts.Guard));
        gate.SetResult();
        var results = await Task.WhenAll(queued, start).WaitAsync(TestTimeouts.Guard);
        await h.Idle();

        Assert.All(results, r => Assert.True(r.Ok, r.ToString()));
        Assert.Equal(1, h.Link.MaxInFlight);
        Assert.Equal(h.Link.Calls.Count, h.Link.Answered);
        Assert.Equal([10.0, 8.0, 8.0], h.Link.Profiles.Select(p => p.LimitAmps));
    }

    [Fact]
    public async Task Every_action_is_logged_with_station_source_and_reason()
    {
        await using var h = new Harness();
        await h.Charging();

        await h.Claim("rule:cap", 10);

        var entry = Assert.Single(h.Log.Entries, e => Equals(e.Properties.GetValueOrDefault("Action"), "set_current"));
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal(Harness.StationId, entry.Properties["StationId"]);
        Assert.Equal("rule:cap", entry.Properties["Source"]);
        Assert.Contains("limit 10 A (rule:cap)", entry.Message);
    }
}

using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Ocpp.Rpc;
using BmwWallbox.Ocpp.Tests.Support;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>The RPC layer over an in-memory duplex, in virtual time.</summary>
public sealed class RpcConnectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly ManualClock _time = new(DateTimeOffset.Parse("2025-06-01T08:00:00Z"));
    private readonly TestLogs _logs = new();
    private readonly ChannelTransport _station;
    private readonly RpcConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private RpcCallHandler _handler = (action, _, _) => ValueTask.FromResult(RpcReply.Result("{}"));

    public RpcConnectionTests()
    {
        (var csms, _station) = ChannelTransport.CreatePair();
        _connection = new RpcConnection("ST1", csms, (a, p, ct) => _handler(a, p, ct), Timeout, _time, _logs.CreateLogger("rpc"));
        _running = _connection.RunAsync(_stop.Token);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TestTimeouts.Guard);
        }
        catch (OperationCanceledException)
        {
            // the normal end of a connection stopped from our side
        }
        _stop.Dispose();
    }

    private async Task<JsonElement> NextFrameAsync() => JsonDocument.Parse(await _station.NextAsync()).RootElement;

    [Fact]
    public async Task Only_one_call_is_outstanding_and_further_calls_queue_in_order()
    {
        var first = _connection.CallAsync("Reset", """{"type":"Immediate"}""", CancellationToken.None);
        var second = _connection.CallAsync("GetTransactionStatus", "{}", CancellationToken.None);

        var sent = await NextFrameAsync();
        Assert.Equal("Reset", sent[2].GetString());
        Assert.True(_station.IsIdle); // the second waits for the first's answer

        await _station.SendAsync($"[3,\"{sent[1].GetString()}\",{{\"status\":\"Accepted\"}}]", default);
        Assert.Equal(RpcOutcome.Result, (await first.WaitAsync(TestTimeouts.Guard)).Outcome);

        var next = await NextFrameAsync();
        Assert.Equal("GetTransactionStatus", next[2].GetString());
        await _station.SendAsync($"[3,\"{next[1].GetString()}\",{{\"messagesInQueue\":false}}]", default);
        Assert.False((await second.WaitAsync(TestTimeouts.Guard)).Payload.GetProperty("messagesInQueue").GetBoolean());
    }

    [Fact]
    public async Task A_timed_out_call_is_reported_at_once_but_holds_the_line_until_its_late_answer()
    {
        var first = _connection.CallAsync("TriggerMessage", """{"requestedMessage":"MeterValues"}""", CancellationToken.None);
        var second = _connection.CallAsync("Reset", """{"type":"OnIdle"}""", CancellationToken.None);
        var firstFrame = await NextFrameAsync();

        _time.Advance(Timeout - TimeSpan.FromSeconds(1));
        Assert.False(first.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Same(RpcResponse.TimedOut, await first.WaitAsync(TestTimeouts.Guard));

        // Quirk 1: a BMW box that gets the next CALL before it answered the last one desynchronises.
        _time.Advance(Timeout - TimeSpan.FromSeconds(1));
        Assert.True(_station.IsIdle);
        await _station.SendAsync($"[3,\"{firstFrame[1].GetString()}\",{{\"status\":\"Rejected\"}}]", default);

        var secondFrame = await NextFrameAsync();
        Assert.Equal("Reset", secondFrame[2].GetString());
        await _station.SendAsync($"[3,\"{secondFrame[1].GetString()}\",{{\"status\":\"Scheduled\"}}]", default);
        var answer = await second.WaitAsync(TestTimeouts.Guard);
        Assert.Equal("Scheduled", answer.Payload.GetProperty("status").GetString());
        Assert.Contains(_logs.Entries, e => e.Message.Contains("did not answer TriggerMessage"));
        Assert.Contains(_logs.Entries, e => e.Message.Contains("answered TriggerMessage") && e.Message.Contains("late"));
    }

    [Fact]
    public async Task A_call_still_unanswered_after_a_second_timeout_is_given_up_and_the_queue_goes_on()
    {
        var first = _connection.CallAsync("TriggerMessage", """{"requestedMessage":"MeterValues"}""", CancellationToken.None);
        var second = _connection.CallAsync("Reset", """{"type":"OnIdle"}""", CancellationToken.None);
        var firstFrame = await NextFrameAsync();
        _time.Advance(Timeout);
        Assert.Same(RpcResponse.TimedOut, await first.WaitAsync(TestTimeouts.Guard));

        _time.Advance(Timeout);

        var secondFrame = await NextFrameAsync();
        Assert.Equal("Reset", secondFrame[2].GetString());
        // An answer that comes later still is dropped and not taken for the second call's.
        await _station.SendAsync($"[3,\"{firstFrame[1].GetString()}\",{{\"status\":\"Rejected\"}}]", default);
        await _station.SendAsync($"[3,\"{secondFrame[1].GetString()}\",{{\"status\":\"Scheduled\"}}]", default);
        var answer = await second.WaitAsync(TestTimeouts.Guard);
        Assert.Equal("Scheduled", answer.Payload.GetProperty("status").GetString());
        Assert.Contains(_logs.Entries, e => e.Message.Contains("still did not answer TriggerMessage"));
        Assert.Contains(_logs.Entries, e => e.Message.Contains("not outstanding (late or unknown)"));
    }

    /// <summary>
    /// simulate moves its virtual clock to the next armed timer: a call's deadline that outlived the answer made it stop
    /// 15 s later in one run and not in the next, and the runs of the same input differed.
    /// </summary>
    [Fact]
    public async Task An_answered_call_leaves_no_deadline_on_the_clock_by_the_time_its_caller_hears_the_answer()
    {
        for (var i = 0; i < 50; i++)
        {
            var call = _connection.CallAsync("Reset", """{"type":"Immediate"}""", CancellationToken.None);
            var frame = await NextFrameAsync();
            Assert.Equal(_time.GetUtcNow() + Timeout, _time.NextDue());

            await _station.SendAsync($"[3,\"{frame[1].GetString()}\",{{\"status\":\"Accepted\"}}]", default);
            await call.WaitAsync(TestTimeouts.Guard);
            Assert.Null(_time.NextDue());
        }
    }

    [Fact]
    public async Task A_connection_that_stops_leaves_no_deadline_on_the_clock()
    {
        var call = _connection.CallAsync("Reset", """{"type":"Immediate"}""", CancellationToken.None);
        await NextFrameAsync();

        await _stop.CancelAsync();
        Assert.Equal(RpcOutcome.Closed, (await call.WaitAsync(TestTimeouts.Guard)).Outcome);
        Assert.Null(_time.NextDue());
    }

    [Fact]
    public async Task An_answer_with_an_unknown_id_is_dropped_without_disturbing_the_outstanding_call()
    {
        var call = _connection.CallAsync("Reset", """{"type":"Immediate"}""", CancellationToken.None);
        var frame = await NextFrameAsync();

        await _station.SendAsync("""[4,"never-sent","GenericError","??",{}]""", default);
        await _station.SendAsync($"[3,\"{frame[1].GetString()}\",{{\"status\":\"Accepted\"}}]", default);

        Assert.Equal(RpcOutcome.Result, (await call.WaitAsync(TestTimeouts.Guard)).Outcome);
        Assert.Contains(_logs.Entries, e => e.Message.Contains("never-sent"));
    }

    [Fact]
    public async Task A_CALLERROR_answer_is_passed_on_whatever_its_code()
    {
        var call = _connection.CallAsync("Reset", """{"type":"Immediate"}""", CancellationToken.None);
        var frame = await NextFrameAsync();
        await _station.SendAsync($"[4,\"{frame[1].GetString()}\",\"NotSupported\",\"no reset here\",{{}}]", default);

        var response = await call.WaitAsync(TestTimeouts.Guard);
        Assert.Equal((RpcOutcome.Error, "NotSupported", "no reset here"), (response.Outcome, response.ErrorCode, response.ErrorDescription));
    }

    [Fact]
    public async Task Calls_of_the_two_directions_may_cross()
    {
        var ours = _connection.CallAsync("Reset", """{"type":"Immediate"}""", CancellationToken.None);
        var ourFrame = await NextFrameAsync();

        await _station.SendAsync("""[2,"theirs","Heartbeat",{}]""", default);
        var answer = await NextFrameAsync();
        Assert.Equal((3, "theirs"), (answer[0].GetInt32(), answer[1].GetString()));

        await _station.SendAsync($"[3,\"{ourFrame[1].GetString()}\",{{\"status\":\"Accepted\"}}]", default);
        Assert.Equal(RpcOutcome.Result, (await ours.WaitAsync(TestTimeouts.Guard)).Outcome);
    }

    [Fact]
    public async Task Message_ids_are_unique_and_at_most_36_characters()
    {
        var ids = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var call = _connection.CallAsync("Reset", """{"type":"Immediate"}""", CancellationToken.None);
            var id = (await NextFrameAsync())[1].GetString()!;
            Assert.InRange(id.Length, 1, 36);
            Assert.True(ids.Add(id), $"id {id} reused");
            await _station.SendAsync($"[3,\"{id}\",{{\"status\":\"Accepted\"}}]", default);
            await call.WaitAsync(TestTimeouts.Guard);
        }
    }

    [Fact]
    public async Task A_queued_call_whose_caller_gave_up_is_never_sent()
    {
        using var giveUp = new CancellationTokenSource();
        var first = _connection.CallAsync("Reset", """{"type":"Immediate"}""", CancellationToken.None);
        var abandoned = _connection.CallAsync("UnlockConnector", """{"evseId":1,"connectorId":1}""", giveUp.Token);
        var third = _connection.CallAsync("GetTransactionStatus", "{}", CancellationToken.None);
        var firstFrame = await NextFrameAsync();

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        await _station.SendAsync($"[3,\"{firstFrame[1].GetString()}\",{{\"status\":\"Accepted\"}}]", default);
        await first;

        Assert.Equal("GetTransactionStatus", (await NextFrameAsync())[2].GetString());
        Assert.False(third.IsCompleted);
    }

    [Fact]
    public async Task Handler_failure_is_answered_with_InternalError()
    {
        _handler = (_, _, _) => throw new InvalidOperationException("database on fire");

        await _station.SendAsync("""[2,"h1","Heartbeat",{}]""", default);

        var answer = await NextFrameAsync();
        Assert.Equal((4, "h1", "InternalError"), (answer[0].GetInt32(), answer[1].GetString(), answer[2].GetString()));
    }

    [Fact]
    public async Task When_the_peer_closes_every_open_call_ends_as_Closed()
    {
        var inFlight = _connection.CallAsync("Reset", """{"type":"Immediate"}""", CancellationToken.None);
        var queued = _connection.CallAsync("Reset", """{"type":"OnIdle"}""", CancellationToken.None);
        await NextFrameAsync();

        await _station.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "", default);

        Assert.Same(RpcResponse.Closed, await inFlight.WaitAsync(TestTimeouts.Guard));
        Assert.Same(RpcResponse.Closed, await queued.WaitAsync(TestTimeouts.Guard));
        await _running.WaitAsync(TestTimeouts.Guard);
        Assert.Same(RpcResponse.Closed, await _connection.CallAsync("Reset", "{}", CancellationToken.None));
    }
}

using BmwWallbox.Ocpp.State;

namespace BmwWallbox.Ocpp.Tests;

public sealed class SeenTransactionEventsTests
{
    [Fact]
    public void A_replay_is_recognised_however_many_events_the_transaction_had_since()
    {
        var seen = new SeenTransactionEvents();
        for (var seqNo = 0; seqNo < 20_000; seqNo++) Assert.True(seen.Add("tx-1", seqNo));

        Assert.False(seen.Add("tx-1", 0));
        Assert.False(seen.Add("tx-1", 12_345));
        Assert.False(seen.Add("tx-1", 19_999));
        Assert.True(seen.Add("tx-1", 20_000));
    }

    [Fact]
    public void The_same_seqNo_of_another_transaction_is_new()
    {
        var seen = new SeenTransactionEvents();
        Assert.True(seen.Add("tx-1", 0));

        Assert.True(seen.Add("tx-2", 0));
        Assert.False(seen.Add("tx-1", 0));
        Assert.False(seen.Add("tx-2", 0));
    }

    [Fact]
    public void Events_in_any_order_are_each_new_once_as_a_set_of_every_pair_would_say()
    {
        var random = new Random(14);
        var seen = new SeenTransactionEvents();
        var reference = new HashSet<(string, int)>();
        var next = new int[3];
        for (var i = 0; i < 5_000; i++)
        {
            // Mostly the next number, some skipped (a gap a replay fills later), some replays, over a few transactions.
            var t = random.Next(next.Length);
            var seqNo = random.Next(10) switch
            {
                < 7 => next[t]++,
                7 => next[t] += 1 + random.Next(3),
                _ => random.Next(next[t] + 1),
            };
            Assert.Equal(reference.Add(($"tx-{t}", seqNo)), seen.Add($"tx-{t}", seqNo));
        }
    }

    [Fact]
    public void Beyond_the_transactions_it_keeps_the_least_recent_is_forgotten()
    {
        var seen = new SeenTransactionEvents();
        for (var t = 0; t <= SeenTransactionEvents.MaxTransactions; t++) seen.Add($"tx-{t}", 0);

        Assert.True(seen.Add("tx-0", 0)); // forgotten: taken as new
        Assert.False(seen.Add($"tx-{SeenTransactionEvents.MaxTransactions}", 0));
    }
}

using MQTTnet.Server;

namespace BmwWallbox.Mqtt;

/// <summary>
/// Handed over in process, the bridge's messages outrun a client that reads them over TCP, and the broker drops
/// the oldest message of a full client queue. Over loopback, waiting for each PUBACK kept the pace; now the
/// bridge waits while a connected client's queue is more than half full and draining. A client that takes
/// nothing for a while (it stopped reading) is not waited for: it loses its oldest messages, as with any broker.
/// </summary>
internal sealed class SubscriberPacing(int maxPendingPerClient)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(1);
    private const long StalledAfterMs = 1_000;
    // After a stall, how long not to wait at all: a stuck client costs one stall per pause, not one per message.
    private const long UnpacedAfterStallMs = 10_000;

    // Looking at the queues lists every client and session: done every few messages while they have room
    // (a queue cannot fill from half to full in that many), at every message while one is over half full.
    private const int LookEvery = 16;

    private readonly long _highWater = Math.Max(1, maxPendingPerClient / 2);
    // Between two looks a queue grows by at most this much: it stays below full even from just under half.
    private readonly long _lookEvery = Math.Clamp(maxPendingPerClient / 4, 1, LookEvery);
    private long _unpacedUntil;
    private int _sinceLook;

    /// <summary>Returns once every connected client's queue is at most half full, or no longer drains. One caller at a time.</summary>
    public async Task WaitForRoomAsync(MqttServer server, CancellationToken ct)
    {
        if (Environment.TickCount64 < _unpacedUntil || ++_sinceLook < _lookEvery) return;
        _sinceLook = 0;
        var backlog = await LongestQueueAsync(server);
        var lastProgress = Environment.TickCount64;
        while (backlog > _highWater)
        {
            await Task.Delay(Poll, ct);
            var now = await LongestQueueAsync(server);
            if (now < backlog) lastProgress = Environment.TickCount64;
            else if (Environment.TickCount64 - lastProgress > StalledAfterMs)
            {
                _unpacedUntil = Environment.TickCount64 + UnpacedAfterStallMs;
                return;
            }
            backlog = now;
        }
        if (backlog > _highWater / 2) _sinceLook = (int)_lookEvery; // close to the mark: look again at the next message
    }

    private static async Task<long> LongestQueueAsync(MqttServer server)
    {
        long longest = 0;
        foreach (var client in await server.GetClientsAsync())
            longest = Math.Max(longest, client.Session.PendingApplicationMessagesCount);
        return longest;
    }
}

using BmwWallbox.Core;

namespace BmwWallbox.Ocpp.State;

/// <summary>
/// One station's state plus what is needed to judge replays: the (transactionId, seqNo) seen since
/// its last boot. Each station has its own <see cref="Gate"/>: no lock is shared across stations.
/// </summary>
internal sealed class StationTracker(WallboxState initial, int index)
{
    // Made at the first transaction event: most stations of a large site are idle, and keep nothing.
    private SeenTransactionEvents? _seen;
    private WallboxState _state = initial;
    // When the station was last heard (UTC ticks), kept apart from the snapshot: a Heartbeat changes nothing
    // else, and a new snapshot for each (1,000 a second at 10,000 stations) lived the 10 s to the next one,
    // long enough to age, so every young collection had to find it again.
    private long _lastMessageTicks;
    private long _lastHeartbeatTicks;

    /// <summary>The station's place in the configuration (indexes per-station slots of event subscribers).</summary>
    public int Index { get; } = index;

    /// <summary>Held while the station's state changes and its events are queued, so they queue in order.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The latest immutable snapshot: read without the gate, replaced whole under it.</summary>
    public WallboxState State
    {
        get => Volatile.Read(ref _state);
        set => Volatile.Write(ref _state, value);
    }

    /// <summary>The latest snapshot with when the station was last heard (what readers outside the receive path get).</summary>
    public WallboxState Current
    {
        get
        {
            var state = State;
            var message = Later(state.LastMessageAt, Volatile.Read(ref _lastMessageTicks));
            var heartbeat = Later(state.LastHeartbeatAt, Volatile.Read(ref _lastHeartbeatTicks));
            return message == state.LastMessageAt && heartbeat == state.LastHeartbeatAt
                ? state
                : state with { LastMessageAt = message, LastHeartbeatAt = heartbeat };
        }
    }

    /// <summary>A message that changes nothing but when the station was last heard.</summary>
    public void Heard(DateTimeOffset at, bool heartbeat)
    {
        Volatile.Write(ref _lastMessageTicks, at.UtcTicks);
        if (heartbeat) Volatile.Write(ref _lastHeartbeatTicks, at.UtcTicks);
    }

    private static DateTimeOffset? Later(DateTimeOffset? inSnapshot, long heardTicks)
        => heardTicks == 0 || inSnapshot?.UtcTicks >= heardTicks ? inSnapshot : new DateTimeOffset(heardTicks, TimeSpan.Zero);

    /// <summary>
    /// Connected, and not heard from since: its first message is announced even when it changes nothing else
    /// (the charge controller links a reconnected box up at it, <see cref="WallboxStateStore.Update{TMessage}"/>).
    /// </summary>
    public bool AwaitingFirstMessage { get; set; }

    /// <summary>The connection that currently owns the station; a replaced connection's end must not mark it disconnected.</summary>
    public object? Connection { get; set; }

    /// <summary>False when this transaction event was seen before (a replay after reconnect, quirk 12).</summary>
    public bool FirstTimeSeen(string transactionId, int seqNo) => (_seen ??= new()).Add(transactionId, seqNo);

    /// <summary>After a BootNotification: the box may number its transactions afresh.</summary>
    public void Rebooted()
    {
        _seen = null;
    }
}

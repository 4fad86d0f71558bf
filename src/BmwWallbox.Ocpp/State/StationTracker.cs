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

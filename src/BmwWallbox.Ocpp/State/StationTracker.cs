using BmwWallbox.Core;

namespace BmwWallbox.Ocpp.State;

/// <summary>One station's state plus what is needed to judge replays: seen (transactionId, seqNo) and the last status time.</summary>
internal sealed class StationTracker(WallboxState initial)
{
    private const int RememberedEvents = 4096;
    private readonly HashSet<(string TransactionId, int SeqNo)> _seen = [];
    private readonly Queue<(string, int)> _order = new();

    public WallboxState State { get; set; } = initial;

    /// <summary>The connection that currently owns the station; a replaced connection's end must not mark it disconnected.</summary>
    public object? Connection { get; set; }

    public DateTimeOffset? StatusAt { get; set; }

    /// <summary>False when this transaction event was seen before (a replay after reconnect, quirk 12).</summary>
    public bool FirstTimeSeen(string transactionId, int seqNo)
    {
        if (!_seen.Add((transactionId, seqNo))) return false;
        _order.Enqueue((transactionId, seqNo));
        if (_order.Count > RememberedEvents) _seen.Remove(_order.Dequeue());
        return true;
    }
}

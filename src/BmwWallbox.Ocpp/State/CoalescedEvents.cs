using BmwWallbox.Core;

namespace BmwWallbox.Ocpp.State;

/// <summary>
/// One station's pending "latest wins" events (MeterValues, Heartbeat, VariablesReported) in one
/// subscriber's queue. While it waits, newer events of those kinds merge into it: the subscriber
/// gets each kind once, with the newest state. It is closed (a new one opens) as soon as an event
/// that must not be merged (a status change, a transaction event, …) queues behind it, so a
/// subscriber never sees a station's state go back in time.
/// Producers add under the station's gate (one at a time); the subscriber's drain takes concurrently.
/// </summary>
internal sealed class CoalescedEvents
{
    private Batch? _pending;

    /// <summary>The kinds that may merge: each event of these carries the whole state, so the latest says it all.</summary>
    public static bool MayMerge(WallboxEventKind kind)
        => kind is WallboxEventKind.MeterValues or WallboxEventKind.Heartbeat or WallboxEventKind.VariablesReported;

    /// <summary>Adds an event; true when nothing was pending (the caller must queue this slot again).</summary>
    public bool Add(WallboxEvent e)
    {
        while (true)
        {
            var current = Volatile.Read(ref _pending);
            var next = current is null
                ? new Batch(1 << (int)e.Kind, e, e.Previous)
                : new Batch(current.Kinds | 1 << (int)e.Kind, e, current.FirstPrevious);
            if (Interlocked.CompareExchange(ref _pending, next, current) == current) return current is null;
        }
    }

    /// <summary>The merged events, one per kind in the order of <see cref="WallboxEventKind"/>; empty if taken already.</summary>
    public IEnumerable<WallboxEvent> Take()
    {
        if (Interlocked.Exchange(ref _pending, null) is not { } batch) yield break;
        foreach (var kind in Kinds)
        {
            if ((batch.Kinds & 1 << (int)kind) == 0) continue;
            yield return batch.Latest.Kind == kind && batch.Latest.Previous == batch.FirstPrevious
                ? batch.Latest
                : batch.Latest with { Kind = kind, Previous = batch.FirstPrevious };
        }
    }

    /// <summary>Once: <see cref="Enum.GetValues{TEnum}"/> makes a new array per call.</summary>
    private static readonly WallboxEventKind[] Kinds = Enum.GetValues<WallboxEventKind>();

    /// <param name="FirstPrevious">The state before the first merged event: what the subscriber saw last.</param>
    private sealed record Batch(int Kinds, WallboxEvent Latest, WallboxState? FirstPrevious);
}

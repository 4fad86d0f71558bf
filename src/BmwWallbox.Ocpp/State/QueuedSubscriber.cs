using System.Collections.Concurrent;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.State;

/// <summary>
/// One handler of <see cref="WallboxStateStore.Changed"/> with its own queue, drained on the thread
/// pool by at most one worker at a time, so the handler sees each station's events in order and a
/// slow handler only delays itself. The queue is bounded by what it may hold: events that must not
/// be merged (a few per session) plus at most one <see cref="CoalescedEvents"/> per station.
/// Lock-free: stations enqueue concurrently without sharing a lock.
/// </summary>
internal sealed class QueuedSubscriber : IThreadPoolWorkItem
{
    /// <summary>Events handled before the worker yields its thread to other pool work.</summary>
    private const int BatchSize = 256;

    private readonly ConcurrentQueue<Entry> _queue = new();
    private readonly CoalescedEvents?[] _open;
    private readonly ILogger _logger;
    private int _scheduled;
    private volatile bool _removed;

    /// <param name="interest">Which events the handler looks at (<see cref="IWallboxStates.Subscribe"/>); null: all.</param>
    public QueuedSubscriber(Action<WallboxEvent> handler, int stations, ILogger logger, Func<WallboxEvent, bool>? interest = null)
    {
        Handler = handler;
        Interest = interest;
        _open = new CoalescedEvents?[stations];
        _logger = logger;
    }

    public Action<WallboxEvent> Handler { get; }

    public Func<WallboxEvent, bool>? Interest { get; }

    /// <summary>Queues one event of the station at <paramref name="station"/>'s index; call under that station's gate.</summary>
    public void Enqueue(int station, WallboxEvent e)
    {
        if (_removed || !Wants(e)) return;
        if (CoalescedEvents.MayMerge(e.Kind))
        {
            var open = _open[station] ??= new CoalescedEvents();
            if (!open.Add(e)) return; // merged into one that is still waiting
            _queue.Enqueue(new Entry(null, open));
        }
        else
        {
            _open[station] = null; // later mergeable events queue behind this one
            _queue.Enqueue(new Entry(e, null));
        }
        if (Interlocked.Exchange(ref _scheduled, 1) == 0) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Asked on the receive path: a filter that fails must not break the station's update, so the event goes through.</summary>
    private bool Wants(WallboxEvent e)
    {
        if (Interest is not { } interest) return true;
        try
        {
            return interest(e);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "{StationId} a {EventKind} subscriber's filter failed; the event is delivered", e.State.StationId, e.Kind);
            return true;
        }
    }

    /// <summary>After this, nothing more is delivered (events still queued are dropped).</summary>
    public void Remove() => _removed = true;

    /// <summary>Completes once everything queued before this call has been handled (tests, shutdown).</summary>
    public Task WhenDrainedAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Enqueue(new Entry(null, null, done));
        if (Interlocked.Exchange(ref _scheduled, 1) == 0) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return done.Task;
    }

    public void Execute()
    {
        for (var handled = 0; handled < BatchSize; handled++)
        {
            if (!_queue.TryDequeue(out var entry))
            {
                Volatile.Write(ref _scheduled, 0);
                // An enqueue between the failed dequeue and the reset saw "scheduled" and did not schedule: look again.
                if (_queue.IsEmpty || Interlocked.Exchange(ref _scheduled, 1) == 1) return;
                continue;
            }
            Handle(entry);
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false); // more to do: let other work run first
    }

    private void Handle(Entry entry)
    {
        if (entry.Drained is { } drained)
        {
            drained.TrySetResult();
            return;
        }
        if (entry.Event is { } single) Deliver(single);
        else if (entry.Merged is { } merged)
            foreach (var e in merged.Take()) Deliver(e);
    }

    private void Deliver(WallboxEvent e)
    {
        if (_removed) return;
        try
        {
            Handler(e);
        }
        catch (Exception ex)
        {
            // A faulty subscriber must not stop its own queue or touch the others.
            _logger.LogError(ex, "{StationId} a {EventKind} subscriber failed", e.State.StationId, e.Kind);
        }
    }

    private readonly record struct Entry(WallboxEvent? Event, CoalescedEvents? Merged, TaskCompletionSource? Drained = null);
}

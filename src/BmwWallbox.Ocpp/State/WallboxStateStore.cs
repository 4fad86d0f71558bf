using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.State;

/// <summary>
/// The live state of every configured station (all present from the start, disconnected).
/// Each station changes under its own gate, so stations never wait for each other; readers take the
/// latest immutable snapshot without a lock. How <see cref="Changed"/> reaches its handlers is the
/// <see cref="WallboxEventDelivery"/> given: queued per handler (the live server) or inline.
/// </summary>
internal sealed class WallboxStateStore : IWallboxStates
{
    private readonly Dictionary<string, StationTracker> _stations;
    private readonly StationTracker[] _order;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WallboxEventDelivery _delivery;
    private readonly Lock _subscribing = new();

    // Copy-on-write lists: subscribing is rare, every update reads them without a lock.
    private QueuedSubscriber[] _queued = [];
    private Action<WallboxEvent>[] _inline = [];

    /// <param name="lastBoot">What a station said at its last boot before this start, if known (<see cref="LastBoots"/>).</param>
    public WallboxStateStore(IEnumerable<StationOptions> stations, TimeProvider time, ILogger logger, WallboxEventDelivery delivery = WallboxEventDelivery.Inline,
        Func<string, BootInfo?>? lastBoot = null)
    {
        _time = time;
        _logger = logger;
        _delivery = delivery;
        _order = stations.Select((s, i) => new StationTracker(new WallboxState { StationId = s.Id, Name = s.Name, Boot = lastBoot?.Invoke(s.Id) }, i)).ToArray();
        _stations = _order.ToDictionary(t => t.State.StationId, StringComparer.Ordinal);
    }

    public event Action<WallboxEvent>? Changed
    {
        add
        {
            if (value is null) return;
            if (_delivery == WallboxEventDelivery.Inline) AddReceivePathHandler(value);
            else lock (_subscribing) _queued = [.. _queued, new QueuedSubscriber(value, _order.Length, _logger)];
        }
        remove
        {
            if (value is null) return;
            if (_delivery == WallboxEventDelivery.Inline)
            {
                RemoveReceivePathHandler(value);
                return;
            }
            RemoveQueued(s => s.Handler.Equals(value) && s.Interest is null);
        }
    }

    public IDisposable Subscribe(Action<WallboxEvent> handler, Func<WallboxEvent, bool> interest)
    {
        if (_delivery == WallboxEventDelivery.Inline) return IWallboxStates.SubscribeFiltered(this, handler, interest);
        var subscriber = new QueuedSubscriber(handler, _order.Length, _logger, interest);
        lock (_subscribing) _queued = [.. _queued, subscriber];
        return new Unsubscriber(() => RemoveQueued(s => s == subscriber));
    }

    private void RemoveQueued(Predicate<QueuedSubscriber> which)
    {
        lock (_subscribing)
        {
            var index = Array.FindLastIndex(_queued, which);
            if (index < 0) return;
            _queued[index].Remove();
            _queued = [.. _queued[..index], .. _queued[(index + 1)..]];
        }
    }

    public void AddReceivePathHandler(Action<WallboxEvent> handler)
    {
        lock (_subscribing) _inline = [.. _inline, handler];
    }

    public void RemoveReceivePathHandler(Action<WallboxEvent> handler)
    {
        lock (_subscribing)
        {
            var index = Array.FindLastIndex(_inline, h => h.Equals(handler));
            if (index >= 0) _inline = [.. _inline[..index], .. _inline[(index + 1)..]];
        }
    }

    public IReadOnlyList<WallboxState> All => Array.ConvertAll(_order, t => t.Current);

    /// <summary>
    /// Summed over the snapshots as they are: <see cref="All"/> would copy every station heard since its last change
    /// to merge in its last-heard times (<see cref="StationTracker.Current"/>), at every reading of a derived signal.
    /// </summary>
    public double TotalPowerW
    {
        get
        {
            double sum = 0;
            foreach (var tracker in _order) sum += IWallboxStates.PowerOf(tracker.State);
            return sum;
        }
    }

    public WallboxState? Get(string stationId) => _stations.TryGetValue(stationId, out var tracker) ? tracker.Current : null;

    public bool IsConfigured(string stationId) => _stations.ContainsKey(stationId);

    /// <summary>
    /// Applies a change to one station. <paramref name="change"/> returns the new state and the
    /// kinds of change to announce (none: the state is stored silently).
    /// </summary>
    /// <param name="fromBox">False for what the server itself sees happen (a connection opened or closed), not a message of the box.</param>
    public WallboxState Update(string stationId, Func<StationTracker, DateTimeOffset, (WallboxState State, IReadOnlyList<WallboxEventKind> Kinds)> change,
        bool fromBox = true)
        => Update(stationId, change, static (t, change, now) => change(t, now), fromBox);

    /// <summary>The same with the message passed along: a static reducer needs no closure per call.</summary>
    public WallboxState Update<TMessage>(string stationId, TMessage message,
        Func<StationTracker, TMessage, DateTimeOffset, (WallboxState State, IReadOnlyList<WallboxEventKind> Kinds)> change, bool fromBox = true)
    {
        var tracker = _stations[stationId];
        DateTimeOffset now;
        WallboxState previous, next;
        IReadOnlyList<WallboxEventKind> kinds;
        // The first kind's event, made once for both kinds of handler (nearly every change has one kind). Indexed
        // loops, not foreach: an enumerator of the list is an allocation per change, for each loop.
        WallboxEvent? first = null;
        lock (tracker.Gate)
        {
            now = _time.GetUtcNow();
            previous = tracker.State;
            (next, kinds) = change(tracker, message, now);
            if (fromBox && tracker.AwaitingFirstMessage) kinds = FirstMessage(tracker, kinds);
            tracker.State = next;
            if (kinds.Count == 0) return next;
            // Queued under the gate, so two quick changes of one station cannot overtake each other.
            var queued = Volatile.Read(ref _queued);
            if (queued.Length > 0)
                for (var i = 0; i < kinds.Count; i++)
                {
                    var e = new WallboxEvent(kinds[i], now, next, previous);
                    first ??= e;
                    foreach (var subscriber in queued) subscriber.Enqueue(tracker.Index, e);
                }
        }

        var inline = Volatile.Read(ref _inline);
        if (inline.Length > 0)
            for (var i = 0; i < kinds.Count; i++)
                RaiseInline(inline, i == 0 && first is not null ? first : new WallboxEvent(kinds[i], now, next, previous));
        return next;
    }

    /// <summary>Completes once every queued handler has handled what was queued before this call.</summary>
    internal Task WhenDeliveredAsync() => Task.WhenAll(Volatile.Read(ref _queued).Select(s => s.WhenDrainedAsync()));

    /// <summary>
    /// The station's first message since it connected: announced as a Heartbeat when it changed nothing else (an
    /// unchanged StatusNotification, a replayed transaction event), so that whoever waits for the box to speak hears it.
    /// </summary>
    private static IReadOnlyList<WallboxEventKind> FirstMessage(StationTracker tracker, IReadOnlyList<WallboxEventKind> kinds)
    {
        tracker.AwaitingFirstMessage = false;
        return kinds.Count == 0 ? StateReducer.HeartbeatKind : kinds;
    }

    private void RaiseInline(Action<WallboxEvent>[] handlers, WallboxEvent e)
    {
        foreach (var handler in handlers)
        {
            try
            {
                handler(e);
            }
            catch (Exception ex)
            {
                // A faulty subscriber must not break the station's session or the other subscribers.
                _logger.LogError(ex, "{StationId} a {EventKind} subscriber failed", e.State.StationId, e.Kind);
            }
        }
    }
}

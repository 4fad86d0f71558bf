using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.State;

/// <summary>
/// The live state of every configured station (all present from the start, disconnected).
/// Updates run under a lock; <see cref="Changed"/> is raised after the lock is released.
/// </summary>
internal sealed class WallboxStateStore : IWallboxStates
{
    private readonly Dictionary<string, StationTracker> _stations;
    private readonly IReadOnlyList<string> _order;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();

    public WallboxStateStore(IEnumerable<StationOptions> stations, TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
        var list = stations.ToList();
        _order = list.Select(s => s.Id).ToList();
        _stations = list.ToDictionary(
            s => s.Id,
            s => new StationTracker(new WallboxState { StationId = s.Id, Name = s.Name }),
            StringComparer.Ordinal);
    }

    public event Action<WallboxEvent>? Changed;

    public IReadOnlyList<WallboxState> All
    {
        get { lock (_lock) return _order.Select(id => _stations[id].State).ToList(); }
    }

    public WallboxState? Get(string stationId)
    {
        lock (_lock) return _stations.TryGetValue(stationId, out var tracker) ? tracker.State : null;
    }

    public bool IsConfigured(string stationId) => _stations.ContainsKey(stationId);

    /// <summary>
    /// Applies a change to one station. <paramref name="change"/> returns the new state and the
    /// kinds of change to announce (none: the state is stored silently).
    /// </summary>
    public WallboxState Update(string stationId, Func<StationTracker, DateTimeOffset, (WallboxState State, IReadOnlyList<WallboxEventKind> Kinds)> change)
    {
        var now = _time.GetUtcNow();
        WallboxState previous, next;
        IReadOnlyList<WallboxEventKind> kinds;
        lock (_lock)
        {
            var tracker = _stations[stationId];
            previous = tracker.State;
            (next, kinds) = change(tracker, now);
            tracker.State = next;
        }

        foreach (var kind in kinds) Raise(new WallboxEvent(kind, now, next, previous));
        return next;
    }

    private void Raise(WallboxEvent e)
    {
        if (Changed is not { } handlers) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<WallboxEvent>>())
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

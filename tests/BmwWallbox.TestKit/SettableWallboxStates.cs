using BmwWallbox.Core;

namespace BmwWallbox.TestKit;

/// <summary>A minimal <see cref="IWallboxStates"/> whose state the test sets; each set raises one event, inline.</summary>
public sealed class SettableWallboxStates : IWallboxStates
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, WallboxState> _states = new();

    public IReadOnlyList<WallboxState> All
    {
        get { lock (_lock) return [.. _states.Values]; }
    }

    public WallboxState? Get(string stationId)
    {
        lock (_lock) return _states.GetValueOrDefault(stationId);
    }

    public event Action<WallboxEvent>? Changed;

    public void Set(WallboxState state, WallboxEventKind kind = WallboxEventKind.StatusChanged)
    {
        WallboxState? previous;
        lock (_lock)
        {
            previous = _states.GetValueOrDefault(state.StationId);
            _states[state.StationId] = state;
        }
        Changed?.Invoke(new WallboxEvent(kind, DateTimeOffset.UtcNow, state, previous));
    }
}

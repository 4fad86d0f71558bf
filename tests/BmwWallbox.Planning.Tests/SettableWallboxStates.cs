using BmwWallbox.Core;

namespace BmwWallbox.Planning.Tests;

/// <summary>A minimal IWallboxStates whose state the test sets.</summary>
internal sealed class SettableWallboxStates : IWallboxStates
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

    public void Set(WallboxState state)
    {
        WallboxState? previous;
        lock (_lock)
        {
            previous = _states.GetValueOrDefault(state.StationId);
            _states[state.StationId] = state;
        }
        Changed?.Invoke(new WallboxEvent(WallboxEventKind.StatusChanged, DateTimeOffset.UtcNow, state, previous));
    }

    /// <summary>The car plugged in with transaction <paramref name="tx"/>, the meter at <paramref name="meterWh"/>.</summary>
    public static WallboxState Plugged(string stationId, string name, double meterWh, string tx = "tx-1", double powerW = 0) => new()
    {
        StationId = stationId,
        Name = name,
        Connected = true,
        Status = ConnectorStatus.Occupied,
        Transaction = new TransactionInfo(tx, DateTimeOffset.UtcNow, ChargingState.Charging, null, 1),
        EnergyWh = meterWh,
        PowerW = powerW,
    };
}

using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Tests.Support;

/// <summary>Settable wallbox state; each change raises the event the OCPP server would.</summary>
internal sealed class FakeWallboxes(TimeProvider time, params string[] stations) : IWallboxStates
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, WallboxState> _states = stations.ToDictionary(
        s => s.Split('/')[0], s => new WallboxState { StationId = s.Split('/')[0], Name = s.Split('/')[^1] });

    public event Action<WallboxEvent>? Changed;

    public IReadOnlyList<WallboxState> All
    {
        get { lock (_lock) return [.. _states.Values]; }
    }

    public WallboxState? Get(string stationId)
    {
        lock (_lock) return _states.GetValueOrDefault(stationId);
    }

    public void Change(string stationId, WallboxEventKind kind, Func<WallboxState, WallboxState> change)
    {
        WallboxEvent e;
        lock (_lock)
        {
            var previous = _states[stationId];
            var next = change(previous);
            _states[stationId] = next;
            e = new WallboxEvent(kind, time.GetUtcNow(), next, previous);
        }
        Changed?.Invoke(e);
    }

    public void Connect(string stationId = "cp-1") =>
        Change(stationId, WallboxEventKind.Connected, s => s with { Connected = true, Status = ConnectorStatus.Available });

    public void StartTransaction(string stationId = "cp-1", ChargingState state = ChargingState.Charging, double powerW = 11000) =>
        Change(stationId, WallboxEventKind.TransactionStarted, s => s with
        {
            Status = ConnectorStatus.Occupied,
            PowerW = powerW,
            Transaction = new TransactionInfo("tx-1", time.GetUtcNow(), state, null, 0),
        });

    public void SetChargingState(ChargingState state, string stationId = "cp-1") =>
        Change(stationId, WallboxEventKind.ChargingStateChanged, s => s with { Transaction = s.Transaction! with { ChargingState = state } });
}

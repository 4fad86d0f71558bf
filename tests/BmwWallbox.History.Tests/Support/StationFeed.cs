using BmwWallbox.Core;

namespace BmwWallbox.History.Tests.Support;

/// <summary>
/// One station's state as the OCPP server would report it, changed step by step on a virtual clock:
/// each change raises the event the server raises, stamped with the clock's now.
/// </summary>
internal sealed class StationFeed(ManualClock clock, string stationId = "DE*BMW*1", string name = "garage") : IWallboxStates
{
    public WallboxState State { get; private set; } = new() { StationId = stationId, Name = name, Connected = true, Status = ConnectorStatus.Available, EnergyWh = 1000 };

    public IReadOnlyList<WallboxState> All => [State];

    public WallboxState? Get(string id) => id == State.StationId ? State : null;

    public event Action<WallboxEvent>? Changed;

    public void Raise(WallboxEventKind kind, Func<WallboxState, WallboxState> change)
    {
        var previous = State;
        State = change(State);
        Changed?.Invoke(new WallboxEvent(kind, clock.GetUtcNow(), State, previous));
    }

    /// <summary>Plug-in: the box starts a transaction (TxStartPoint EVConnected).</summary>
    public void PlugIn(string transactionId = "tx-1", string? idToken = "card-1") =>
        Raise(WallboxEventKind.TransactionStarted, s => s with
        {
            Status = ConnectorStatus.Occupied,
            Transaction = new TransactionInfo(transactionId, clock.GetUtcNow(), ChargingState.EVConnected, idToken, 0),
        });

    public void Charging(bool charging) =>
        Raise(WallboxEventKind.ChargingStateChanged, s => s with
        {
            Transaction = s.Transaction! with { ChargingState = charging ? ChargingState.Charging : ChargingState.SuspendedEVSE },
        });

    public void Meter(double registerWh, double? powerW) =>
        Raise(WallboxEventKind.MeterValues, s => s with { EnergyWh = registerWh, PowerW = powerW, MeterAt = clock.GetUtcNow() });

    /// <summary>Unplug: the box ends the transaction (StopTxOnEVSideDisconnect), then reports Available.</summary>
    public void Unplug()
    {
        Raise(WallboxEventKind.TransactionEnded, s => s with
        {
            Transaction = s.Transaction! with { EndedAt = clock.GetUtcNow(), StoppedReason = "EVDisconnected", ChargingState = ChargingState.Idle },
        });
        Raise(WallboxEventKind.StatusChanged, s => s with { Status = ConnectorStatus.Available });
    }

    /// <summary>What a freshly started server knows of the station: nothing yet (it has not connected).</summary>
    public void Forget() => State = new() { StationId = State.StationId, Name = State.Name };

    /// <summary>An event the server raises again for a transaction it has seen (the state as it was, re-sent).</summary>
    public void Replay(WallboxEventKind kind, WallboxState state)
    {
        State = state;
        Changed?.Invoke(new WallboxEvent(kind, clock.GetUtcNow(), state, null));
    }
}

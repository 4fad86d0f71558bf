namespace BmwWallbox.Core;

public enum WallboxEventKind
{
    Connected,
    Disconnected,
    Booted,
    Heartbeat,
    StatusChanged,
    TransactionStarted,
    ChargingStateChanged,
    TransactionEnded,
    MeterValues,
    VariablesReported,
}

/// <summary>A change of one station's protocol state, with the state after the change.</summary>
public sealed record WallboxEvent(WallboxEventKind Kind, DateTimeOffset At, WallboxState State, WallboxState? Previous);

/// <summary>The live state of every configured station, kept by the OCPP server.</summary>
public interface IWallboxStates
{
    IReadOnlyList<WallboxState> All { get; }
    WallboxState? Get(string stationId);

    /// <summary>Raised after each change. Handlers must be quick and must not block: queue work elsewhere.</summary>
    event Action<WallboxEvent>? Changed;
}

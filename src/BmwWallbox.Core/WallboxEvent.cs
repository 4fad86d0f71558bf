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

    /// <summary>
    /// Raised after each change. The OCPP server delivers to each handler from its own queue, off
    /// the stations' receive path: a station's events arrive in order, every kind of event arrives,
    /// but quick repeats of MeterValues, Heartbeat and VariablesReported may come as one (the latest
    /// state wins). A handler still should not block: a slow one only falls behind itself.
    /// </summary>
    event Action<WallboxEvent>? Changed;

    /// <summary>
    /// Subscribes a handler that runs on the station's receive path, before the box gets its reply,
    /// with every event uncoalesced. Only for a handler that merely hands the event to its own
    /// queue (the charge controller's worker does): anything slower belongs on <see cref="Changed"/>.
    /// </summary>
    void AddReceivePathHandler(Action<WallboxEvent> handler) => Changed += handler;

    void RemoveReceivePathHandler(Action<WallboxEvent> handler) => Changed -= handler;
}

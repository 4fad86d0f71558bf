namespace BmwWallbox.Core;

public enum WallboxEventKind
{
    Connected,
    Disconnected,
    Booted,
    /// <summary>A Heartbeat, or the box's first message after it connected when that changed nothing else.</summary>
    Heartbeat,
    StatusChanged,
    TransactionStarted,
    ChargingStateChanged,
    TransactionEnded,
    MeterValues,
    VariablesReported,
}

/// <summary>A change of one station's protocol state, with the state after the change.</summary>
public sealed record WallboxEvent(WallboxEventKind Kind, DateTimeOffset At, WallboxState State, WallboxState? Previous)
{
    /// <summary>
    /// A heartbeat or a device-model report: it changes only when the box was last heard from and its variables,
    /// nothing a display of the charging shows (<see cref="IWallboxStates.Subscribe"/> filters them out for such one).
    /// </summary>
    public bool IsHeartbeatOrReport => Kind is WallboxEventKind.Heartbeat or WallboxEventKind.VariablesReported;
}

/// <summary>The live state of every configured station, kept by the OCPP server.</summary>
public interface IWallboxStates
{
    IReadOnlyList<WallboxState> All { get; }

    /// <summary>The power all stations draw together (W; 0 for one that is offline or idle): derived signals' charger_power.</summary>
    double TotalPowerW => All.Sum(PowerOf);

    /// <summary>A station's share of <see cref="TotalPowerW"/>.</summary>
    protected static double PowerOf(WallboxState s) => s.Connected && s.PowerW is { } w && double.IsFinite(w) ? w : 0;
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

    /// <summary>
    /// Like <see cref="Changed"/>, for a handler that looks at only part of what changes: <paramref name="interest"/>
    /// is asked when the event happens, before it is queued, so an event it turns down (a meter reading, for a
    /// handler that reacts to plug-ins) never reaches the handler's queue nor wakes it. It must be quick and
    /// must not throw. The handler's events still arrive in order, and <see cref="WallboxEvent.Previous"/> is
    /// the state before each; what changed in between was turned down, so it did not touch what the handler
    /// looks at. Dispose the result to unsubscribe.
    /// </summary>
    IDisposable Subscribe(Action<WallboxEvent> handler, Func<WallboxEvent, bool> interest) => SubscribeFiltered(this, handler, interest);

    /// <summary><see cref="Subscribe"/> for states that have nothing better than filtering on <see cref="Changed"/>.</summary>
    protected static IDisposable SubscribeFiltered(IWallboxStates states, Action<WallboxEvent> handler, Func<WallboxEvent, bool> interest)
    {
        Action<WallboxEvent> filtered = e =>
        {
            if (interest(e)) handler(e);
        };
        states.Changed += filtered;
        return new Unsubscriber(() => states.Changed -= filtered);
    }
}

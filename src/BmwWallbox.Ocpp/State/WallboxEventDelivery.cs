namespace BmwWallbox.Ocpp.State;

/// <summary>How <see cref="WallboxStateStore"/> hands events to the subscribers of its Changed event.</summary>
internal enum WallboxEventDelivery
{
    /// <summary>
    /// Every handler runs on the station's receive path, in the updating thread. For virtual time
    /// (<c>simulate</c>), where the loop moves the clock only once everything has reacted.
    /// </summary>
    Inline,

    /// <summary>
    /// Each handler has its own queue, drained on the thread pool: a slow subscriber never delays
    /// a station's reply (the live server).
    /// </summary>
    Queued,
}

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// A timer of the injected <see cref="TimeProvider"/>, so virtual-time runs (<c>simulate</c>, tests)
/// jump from one of the box's timers to the next. Created disarmed by <see cref="StationGate.NewTimer"/>.
/// </summary>
internal sealed class BoxTimer(ITimer timer) : IDisposable
{
    /// <summary>Arms it once; never with a zero due time (a virtual clock would run it at once, on this thread, inside the station lock).</summary>
    public void Arm(TimeSpan due) =>
        timer.Change(due < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : due, Timeout.InfiniteTimeSpan);

    /// <summary>Fires every <paramref name="seconds"/>; 0 or less disarms (an OCPP interval of 0 means off).</summary>
    public void ArmPeriodic(int seconds)
    {
        if (seconds <= 0) Disarm();
        else timer.Change(TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(seconds));
    }

    public void Disarm() => timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    public void Dispose() => timer.Dispose();
}

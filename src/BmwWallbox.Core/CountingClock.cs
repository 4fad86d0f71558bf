namespace BmwWallbox.Core;

/// <summary>
/// The time of a <see cref="ManualClock"/>, counting the callbacks of the timers created through it:
/// <c>simulate</c> gives one to the charge controller, so it knows when the controller may have work
/// queued by a timer before it moves time on.
/// </summary>
public sealed class CountingClock(ManualClock clock) : TimeProvider
{
    private long _fired;

    public long Fired => Interlocked.Read(ref _fired);

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();
    public override long GetTimestamp() => clock.GetTimestamp();
    public override long TimestampFrequency => clock.TimestampFrequency;
    public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        clock.CreateTimer(s =>
        {
            Interlocked.Increment(ref _fired);
            callback(s);
        }, state, dueTime, period);
}

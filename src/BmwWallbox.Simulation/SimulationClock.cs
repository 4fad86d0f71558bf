using Microsoft.Extensions.Time.Testing;

namespace BmwWallbox.Simulation;

/// <summary>
/// The virtual clock of a run. <see cref="FakeTimeProvider"/> fires every timer that is due by the end
/// of an advance with the clock already at the end; this one also knows when its next timer is due, so
/// the run advances from timer to timer and each fires at its own instant (a <c>for: 2m</c> ends 2 min
/// after it began, also in 15-minute data).
/// </summary>
internal sealed class SimulationClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _lock = new();
    private readonly HashSet<TrackedTimer> _armed = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new TrackedTimer(this, callback);
        // Tracked before it exists: FakeTimeProvider fires a zero due time inside CreateTimer.
        timer.Track(dueTime, period);
        timer.Inner = base.CreateTimer(timer.Fire, state, dueTime, period);
        return timer;
    }

    /// <summary>When the next armed timer is due after now; null when none is armed.</summary>
    public DateTimeOffset? NextDue()
    {
        var now = GetUtcNow();
        DateTimeOffset? next = null;
        lock (_lock)
        {
            foreach (var timer in _armed)
                if (timer.Due > now && (next is null || timer.Due < next)) next = timer.Due;
        }
        return next;
    }

    /// <summary>A view of this clock for one component that counts how often that component's timers fired.</summary>
    public CountingClock CountingView() => new(this);

    private sealed class TrackedTimer(SimulationClock clock, TimerCallback callback) : ITimer
    {
        public ITimer Inner { get; set; } = null!;
        public DateTimeOffset Due { get; private set; }
        private TimeSpan _period;

        public void Track(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    clock._armed.Remove(this);
                    return;
                }
                Due = clock.GetUtcNow() + dueTime;
                _period = period;
                clock._armed.Add(this);
            }
        }

        /// <summary>FakeTimeProvider keeps a periodic timer on its grid (it catches up after a long advance).</summary>
        public void Fire(object? state)
        {
            lock (clock._lock)
            {
                if (_period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan) Due += _period;
                else clock._armed.Remove(this);
            }
            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Track(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (clock._lock) clock._armed.Remove(this);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// The same virtual time, but counting the callbacks of the timers created through it: the run gives
/// one to the charge controller, so it knows when the controller may have work queued by a timer.
/// </summary>
internal sealed class CountingClock(SimulationClock clock) : TimeProvider
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

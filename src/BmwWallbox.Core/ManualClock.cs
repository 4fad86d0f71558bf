namespace BmwWallbox.Core;

/// <summary>
/// Virtual time that moves only when told to: <c>simulate</c> replays a year on it and the tests run the
/// production code on it, so every delay, hold and timeout happens at a known instant without waiting.
/// <para><see cref="Advance"/> moves the clock to its end first, then runs the timers that fell due on the
/// caller's thread in due order, outside the clock's lock; so work started by one timer never sees an
/// earlier instant than work already done (the tests' boxes and servers talk over real sockets, which
/// cannot keep up with time that steps from timer to timer). A caller that wants every timer at its own
/// instant (<c>simulate</c>) advances to <see cref="NextDue"/> step by step. A timer armed with no delay
/// runs at once on the arming thread, unless an advance is running, which then picks it up.</para>
/// </summary>
public sealed class ManualClock : TimeProvider
{
    /// <summary>Where a clock starts when not told otherwise.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _lock = new();
    private readonly HashSet<ClockTimer> _armed = [];
    private DateTimeOffset _now;
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;
    private long _armings;
    private int _running;

    public ManualClock(DateTimeOffset? start = null) => _now = start ?? DefaultStart;

    /// <summary>Raised (outside the lock) each time a timer is armed, with its delay; see <c>TimerWatch</c> in the tests.</summary>
    public event Action<TimeSpan>? TimerArmed;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) return _now;
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone
    {
        get { lock (_lock) return _zone; }
    }

    public void SetLocalTimeZone(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        lock (_lock) _zone = zone;
    }

    /// <summary>Moves time on by <paramref name="by"/>, then runs every timer due by then.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock) target = _now + by;
        RunUntil(target);
    }

    /// <summary>Moves time on to <paramref name="to"/> (never back), running the timers due by then.</summary>
    public void SetUtcNow(DateTimeOffset to)
    {
        lock (_lock)
            if (to < _now) throw new ArgumentOutOfRangeException(nameof(to), to, $"time only moves forward (it is {_now:O})");
        RunUntil(to);
    }

    /// <summary>
    /// Moves time on to <paramref name="to"/> (never back), running the timers due before it but leaving those
    /// due exactly at <paramref name="to"/> for the next <see cref="Advance"/> (by zero, say). <c>simulate</c>
    /// moves to a sample's instant this way, applies the sample, then runs that instant's timers, so a stale
    /// or <c>for:</c> timer due at a sample boundary sees the new sample, as everything else at that instant does.
    /// </summary>
    public void MoveTo(DateTimeOffset to)
    {
        lock (_lock)
            if (to < _now) throw new ArgumentOutOfRangeException(nameof(to), to, $"time only moves forward (it is {_now:O})");
        RunUntil(to - TimeSpan.FromTicks(1));
        lock (_lock)
            if (to > _now) _now = to;
    }

    /// <summary>
    /// Runs the one timer due first by now (the earliest, then the one armed first) and tells whether there was one.
    /// <c>simulate</c> lets everything a timer set off finish before it runs the next one of the same instant, so
    /// two timers of one instant (a rule's and the charge mode's, say) act in the order they were armed, not in a race.
    /// </summary>
    public bool RunNextDue()
    {
        while (true)
        {
            if (Interlocked.CompareExchange(ref _running, 1, 0) != 0) return false; // the running thread runs every due timer
            ClockTimer? timer;
            try
            {
                timer = TakeNextDue(GetUtcNow());
                timer?.Fire();
            }
            finally
            {
                Volatile.Write(ref _running, 0);
            }
            if (timer is not null) return true;
            lock (_lock)
                if (!AnyDueLocked()) return false; // else one was armed due while we held the run: take it
        }
    }

    /// <summary>When the next armed timer is due after now; null when none is.</summary>
    public DateTimeOffset? NextDue()
    {
        lock (_lock)
        {
            DateTimeOffset? next = null;
            foreach (var timer in _armed)
                if (timer.Due > _now && (next is null || timer.Due < next)) next = timer.Due;
            return next;
        }
    }

    /// <summary>Whether some timer is armed to fire exactly at <paramref name="at"/>.</summary>
    public bool IsTimerDueAt(DateTimeOffset at)
    {
        lock (_lock) return _armed.Any(t => t.Due == at);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ClockTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// A view of this clock for one component that counts how often that component's timers fired, so a
    /// caller that moves time knows when the component may have work queued by a timer.
    /// </summary>
    public CountingClock CountingView() => new(this);

    private void Arm(ClockTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        var disarm = dueTime == Timeout.InfiniteTimeSpan;
        if (!disarm) ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        DateTimeOffset now;
        lock (_lock)
        {
            now = _now;
            if (disarm)
            {
                _armed.Remove(timer);
                return;
            }
            timer.Due = now + dueTime;
            timer.Period = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? TimeSpan.Zero : period;
            timer.Order = ++_armings;
            _armed.Add(timer);
        }
        TimerArmed?.Invoke(dueTime);
        if (dueTime == TimeSpan.Zero) RunUntil(now);
    }

    private void Disarm(ClockTimer timer)
    {
        lock (_lock) _armed.Remove(timer);
    }

    /// <summary>
    /// Stands at <paramref name="target"/> and runs the due timers one at a time, earliest first. One
    /// thread runs them at a time; a thread that finds another running leaves its timers to that one, which
    /// looks again before it lets go.
    /// </summary>
    private void RunUntil(DateTimeOffset target)
    {
        while (true)
        {
            if (Interlocked.CompareExchange(ref _running, 1, 0) != 0)
            {
                // Another thread is running timers; it will run ours. Only the clock's own move is ours to make.
                lock (_lock) if (target > _now) _now = target;
                return;
            }
            try
            {
                while (TakeNextDue(target) is { } timer) timer.Fire();
            }
            finally
            {
                Volatile.Write(ref _running, 0);
            }
            lock (_lock)
            {
                if (!AnyDueLocked()) return; // nothing was armed due while we let go
                // Another thread may have moved the clock on while we ran and left its timers to us: they are
                // due by now, not by our target (with our target we would neither take them nor let go).
                if (_now > target) target = _now;
            }
        }
    }

    /// <summary>Whether a timer is due by now (a loop, not LINQ: simulate asks after every timer round of a year).</summary>
    private bool AnyDueLocked()
    {
        foreach (var timer in _armed)
            if (timer.Due <= _now) return true;
        return false;
    }

    private ClockTimer? TakeNextDue(DateTimeOffset target)
    {
        lock (_lock)
        {
            ClockTimer? next = null;
            foreach (var timer in _armed)
                if (timer.Due <= target && (next is null || timer.Due < next.Due || (timer.Due == next.Due && timer.Order < next.Order)))
                    next = timer;
            if (target > _now) _now = target;
            if (next is null) return null;
            // A periodic timer stays on its grid: after a long advance it fires once per period it missed.
            if (next.Period > TimeSpan.Zero) next.Due += next.Period;
            else _armed.Remove(next);
            return next;
        }
    }

    private sealed class ClockTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due { get; set; }
        public TimeSpan Period { get; set; }
        public long Order { get; set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Arm(this, dueTime, period);
            return true;
        }

        public void Dispose() => clock.Disarm(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

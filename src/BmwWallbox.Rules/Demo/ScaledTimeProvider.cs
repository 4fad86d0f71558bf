namespace BmwWallbox.Rules.Demo;

/// <summary>
/// A clock that runs <see cref="Factor"/> times faster than the real one, from a chosen virtual instant:
/// now = <c>virtualStart + real time since Start() × factor</c>, and timers wait <c>due / factor</c> of real
/// time. Handing it to the whole daemon compresses a day into minutes with the production code.
/// <para>It can be created stopped: time then stands at the virtual start and timers wait for
/// <see cref="Start"/>, so however long the start-up takes, the story begins at the chosen time.</para>
/// </summary>
internal sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly DateTimeOffset _virtualStart;
    private readonly long _timestampBase;
    private readonly Lock _lock = new();
    private HashSet<ScaledTimer>? _waiting = [];
    private long _realStart;

    /// <param name="inner">The real clock (default: the system's).</param>
    /// <param name="started">false = stand still until <see cref="Start"/>.</param>
    public ScaledTimeProvider(DateTimeOffset virtualStart, double factor, TimeProvider? inner = null, bool started = true)
    {
        if (!double.IsFinite(factor) || factor <= 0)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "the speed factor must be a positive number");
        _inner = inner ?? System;
        _virtualStart = virtualStart;
        Factor = factor;
        _timestampBase = _realStart = _inner.GetTimestamp();
        if (started) Start();
    }

    public double Factor { get; }

    public bool IsRunning
    {
        get { lock (_lock) return _waiting is null; }
    }

    /// <summary>Lets time run from the virtual start on; timers armed meanwhile start counting now.</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_waiting is not { } waiting) return;
            _waiting = null;
            _realStart = _inner.GetTimestamp();
            foreach (var timer in waiting) timer.Real.Change(ToReal(timer.PendingDue), ToReal(timer.PendingPeriod));
        }
    }

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => (_virtualStart + Scale(RealElapsed())).ToUniversalTime();

    // Timestamps run fast too, so Stopwatch-style elapsed times agree with GetUtcNow.
    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override long GetTimestamp() => _timestampBase + (long)(RealElapsed().Ticks * Factor * _inner.TimestampFrequency / TimeSpan.TicksPerSecond);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ScaledTimer(_inner.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan), this);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>A real span as virtual time.</summary>
    public TimeSpan Scale(TimeSpan real) => TimeSpan.FromTicks((long)(real.Ticks * Factor));

    /// <summary>
    /// A virtual span as real time, rounded up to the next whole millisecond plus one: system timers count
    /// whole milliseconds, and a timer must never fire before its virtual due time (code that re-checks the
    /// clock when its timer fires would otherwise see "not yet").
    /// </summary>
    internal TimeSpan ToReal(TimeSpan virtualSpan)
    {
        if (virtualSpan <= TimeSpan.Zero) return virtualSpan; // zero = now, -1 ms = never
        var ms = Math.Ceiling(virtualSpan.TotalMilliseconds / Factor) + 1;
        return TimeSpan.FromMilliseconds(Math.Min(ms, uint.MaxValue - 1d));
    }

    private TimeSpan RealElapsed()
    {
        lock (_lock) return _waiting is null ? _inner.GetElapsedTime(_realStart) : TimeSpan.Zero;
    }

    private bool Arm(ScaledTimer timer, TimeSpan due, TimeSpan period)
    {
        lock (_lock)
        {
            if (_waiting is { } waiting)
            {
                (timer.PendingDue, timer.PendingPeriod) = (due, period);
                waiting.Add(timer);
                return true;
            }
        }
        return timer.Real.Change(ToReal(due), ToReal(period));
    }

    private void Forget(ScaledTimer timer)
    {
        lock (_lock) _waiting?.Remove(timer);
    }

    private sealed class ScaledTimer(ITimer real, ScaledTimeProvider clock) : ITimer
    {
        public ITimer Real => real;
        public TimeSpan PendingDue { get; set; }
        public TimeSpan PendingPeriod { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => clock.Arm(this, dueTime, period);

        public void Dispose()
        {
            clock.Forget(this);
            real.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            clock.Forget(this);
            await real.DisposeAsync();
        }
    }
}

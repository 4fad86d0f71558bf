using Microsoft.Extensions.Time.Testing;

namespace BmwWallbox.Charging.Tests.Integration;

/// <summary>
/// Virtual time shared by the server, the controller and the simulated box, which also tells
/// when a timer is armed. Over real sockets the component that waits on the clock (the box's
/// reply delay, its reconnect back-off, its reboot) arms its timer at some moment the test cannot
/// see; advancing before that would skip it. <see cref="AdvanceWhenArmedAsync"/> first waits for
/// the timer, then advances, so the test never races the sockets.
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _fake = new(Start);
    private readonly Lock _lock = new();
    private readonly HashSet<WatchedTimer> _timers = [];
    private readonly List<(DateTimeOffset At, TaskCompletionSource Done)> _waiters = [];

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();
    public override long GetTimestamp() => _fake.GetTimestamp();
    public override long TimestampFrequency => _fake.TimestampFrequency;
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new WatchedTimer(this, _fake.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves virtual time on; timers that fall due run on this thread.</summary>
    public void Advance(TimeSpan by) => _fake.Advance(by);

    /// <summary>Completes once some timer is armed to fire exactly <paramref name="dueIn"/> from now.</summary>
    public Task WaitForTimerAsync(TimeSpan dueIn)
    {
        var at = GetUtcNow() + dueIn;
        lock (_lock)
        {
            if (_timers.Any(t => t.NextDue(GetUtcNow()) == at)) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((at, done));
            return done.Task;
        }
    }

    /// <summary>Waits (10 s guard) until a timer is armed <paramref name="by"/> from now, then advances by that much.</summary>
    public async Task AdvanceWhenArmedAsync(TimeSpan by)
    {
        await WaitForTimerAsync(by).WaitAsync(TimeSpan.FromSeconds(10));
        Advance(by);
    }

    private void Armed(WatchedTimer timer, DateTimeOffset? at, TimeSpan period)
    {
        TaskCompletionSource[] due;
        lock (_lock)
        {
            timer.DueAt = at;
            timer.Period = period;
            if (at is null)
            {
                _timers.Remove(timer);
                return;
            }
            _timers.Add(timer);
            due = _waiters.Where(w => w.At == at).Select(w => w.Done).ToArray();
            _waiters.RemoveAll(w => w.At == at);
        }
        foreach (var done in due) done.TrySetResult();
    }

    private sealed class WatchedTimer(VirtualClock clock, ITimer inner) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }
        public TimeSpan Period { get; set; }

        /// <summary>When it fires next (a periodic timer that already fired is due a whole period later).</summary>
        public DateTimeOffset? NextDue(DateTimeOffset now)
        {
            if (DueAt is not { } at || at > now || Period <= TimeSpan.Zero || Period == Timeout.InfiniteTimeSpan) return DueAt;
            return at + (Math.Floor((now - at) / Period) + 1) * Period;
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // Record before arming: a zero due time fires inside Change.
            clock.Armed(this, dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime, period);
            return inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            clock.Armed(this, null, Timeout.InfiniteTimeSpan);
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            clock.Armed(this, null, Timeout.InfiniteTimeSpan);
            return inner.DisposeAsync();
        }
    }
}

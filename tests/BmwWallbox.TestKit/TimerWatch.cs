using System.Threading.Channels;
using BmwWallbox.Core;

namespace BmwWallbox.TestKit;

/// <summary>
/// Tells a test when the code under test waits on a <see cref="ManualClock"/>, so the test moves time
/// only once the delay is armed (over real sockets and workers it is armed at a moment the test cannot
/// see; advancing before that would skip it). Each arming is seen once.
/// </summary>
public sealed class TimerWatch
{
    private readonly ManualClock _clock;
    private readonly Channel<TimeSpan> _armings = Channel.CreateUnbounded<TimeSpan>();
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _unclaimed = [];
    private readonly List<(TimeSpan Delay, TaskCompletionSource Done)> _delayWaiters = [];
    private readonly List<(DateTimeOffset At, TaskCompletionSource Done)> _dueWaiters = [];

    public TimerWatch(ManualClock clock)
    {
        _clock = clock;
        clock.TimerArmed += OnArmed;
    }

    /// <summary>The delay of the next timer armed (in arming order).</summary>
    public Task<TimeSpan> NextAsync() => _armings.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Guard);

    /// <summary>Completes once a timer has been armed with exactly this delay (each arming answers one call).</summary>
    public Task ArmedAsync(TimeSpan delay)
    {
        lock (_lock)
        {
            if (_unclaimed.Remove(delay)) return Task.CompletedTask;
            var done = NewWaiter();
            _delayWaiters.Add((delay, done));
            return done.Task.WaitAsync(TestTimeouts.Guard);
        }
    }

    /// <summary>Completes once some timer is armed to fire exactly <paramref name="dueIn"/> from now (or already is).</summary>
    public Task DueInAsync(TimeSpan dueIn)
    {
        var at = _clock.GetUtcNow() + dueIn;
        lock (_lock)
        {
            if (_clock.IsTimerDueAt(at)) return Task.CompletedTask;
            var done = NewWaiter();
            _dueWaiters.Add((at, done));
            return done.Task.WaitAsync(TestTimeouts.Guard);
        }
    }

    /// <summary>Waits until a timer is armed <paramref name="by"/> from now, then advances by that much.</summary>
    public async Task AdvanceWhenArmedAsync(TimeSpan by)
    {
        await DueInAsync(by);
        _clock.Advance(by);
    }

    private static TaskCompletionSource NewWaiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void OnArmed(TimeSpan delay)
    {
        _armings.Writer.TryWrite(delay);
        var due = _clock.GetUtcNow() + delay;
        lock (_lock)
        {
            // Everyone waiting for a timer at this instant is answered; an arming answers one wait for its delay.
            foreach (var w in _dueWaiters.Where(w => w.At == due)) w.Done.TrySetResult();
            _dueWaiters.RemoveAll(w => w.At == due);
            var i = _delayWaiters.FindIndex(w => w.Delay == delay);
            if (i < 0) _unclaimed.Add(delay);
            else
            {
                _delayWaiters[i].Done.TrySetResult();
                _delayWaiters.RemoveAt(i);
            }
        }
    }
}

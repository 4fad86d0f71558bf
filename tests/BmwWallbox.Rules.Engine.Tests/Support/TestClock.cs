using Microsoft.Extensions.Time.Testing;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>
/// Virtual time that also tells when a timer with a given due time was created, so a test can advance
/// past a delay only once the delay is actually waiting (no sleeps, no races).
/// </summary>
internal sealed class TestClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _created = [];
    private readonly List<(TimeSpan Due, TaskCompletionSource Done)> _waiters = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_lock)
        {
            var waiter = _waiters.FindIndex(w => w.Due == dueTime);
            if (waiter >= 0)
            {
                _waiters[waiter].Done.TrySetResult();
                _waiters.RemoveAt(waiter);
            }
            else _created.Add(dueTime);
        }
        return timer;
    }

    /// <summary>Completes when a timer due after <paramref name="due"/> has been created (each creation is consumed once).</summary>
    public Task TimerCreated(TimeSpan due)
    {
        lock (_lock)
        {
            if (_created.Remove(due)) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((due, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}

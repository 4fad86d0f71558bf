
namespace BmwWallbox.Rules.Engine.Runtime;

/// <summary>
/// Counts a rule's work that is queued or running (claims, releases, runs with their trace), so
/// <c>simulate</c> can wait in virtual time until the rules have nothing left to do before the clock moves.
/// </summary>
internal sealed class WorkCounter
{
    private readonly Lock _lock = new();
    private int _count;
    private TaskCompletionSource? _idle;

    public bool IsIdle
    {
        get { lock (_lock) return _count == 0; }
    }

    public void Add()
    {
        lock (_lock) _count++;
    }

    public void Done()
    {
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            if (--_count == 0) (idle, _idle) = (_idle, null);
        }
        idle?.TrySetResult();
    }

    /// <summary>
    /// Waits <paramref name="delay"/> of virtual time without counting as busy, so a simulation may move the
    /// clock meanwhile. The timer counts the work again before the waiter goes on, so the clock cannot run
    /// past the moment the work resumes.
    /// </summary>
    public async Task DelayAsync(TimeSpan delay, TimeProvider time, CancellationToken ct)
    {
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var taken = 0;
        void Resume(bool cancelled)
        {
            if (Interlocked.Exchange(ref taken, 1) == 1) return;
            Add();
            if (cancelled) resumed.TrySetCanceled(ct);
            else resumed.TrySetResult();
        }
        // The timer starts counting before this work stops counting: the clock must not move in between.
        await using var timer = time.CreateTimer(_ => Resume(false), null, delay, Timeout.InfiniteTimeSpan);
        await using var cancel = ct.Register(() => Resume(true));
        Done();
        await resumed.Task;
    }

    /// <summary>Completes once nothing is queued or running (at once when idle).</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock)
            return _count == 0 ? Task.CompletedTask : (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
    }
}

namespace BmwWallbox.Dashboard;

/// <summary>
/// "Something changed" for the open pages: a version number and a task that completes on the next change.
/// Raisers (state, control, signal and trace events) never block; each page's event stream awaits
/// <see cref="NextAsync"/> and then sends one fresh snapshot, however many changes came in between.
/// </summary>
internal sealed class LiveFeed
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;
    // Whether a page waits on _next: if none does, a change only counts (every meter reading of every station is one).
    private bool _awaited;

    public long Version
    {
        get { lock (_lock) return _version; }
    }

    public void Changed()
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            _version++;
            if (!_awaited) return;
            _awaited = false;
            done = _next;
            _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    /// <summary>Completes once the version is past <paramref name="seen"/>.</summary>
    public Task NextAsync(long seen, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_version > seen) return Task.CompletedTask;
            _awaited = true;
            return _next.Task.WaitAsync(ct);
        }
    }
}

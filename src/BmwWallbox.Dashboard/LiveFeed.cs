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
            done = _next;
            _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    /// <summary>Completes once the version is past <paramref name="seen"/>.</summary>
    public Task NextAsync(long seen, CancellationToken ct)
    {
        lock (_lock) return _version > seen ? Task.CompletedTask : _next.Task.WaitAsync(ct);
    }
}

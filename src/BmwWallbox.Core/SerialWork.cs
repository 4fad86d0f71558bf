namespace BmwWallbox.Core;

/// <summary>
/// Runs posted items one at a time, in the order posted, on the thread pool. While there is no work nothing
/// runs and almost nothing is held: a station's charge controller and charge mode each have one, and 10,000
/// idle stations would otherwise keep 20,000 waiting loops with their buffers (~2.6 KB a station).
/// <paramref name="run"/> handles its own errors; one that escapes is dropped so the station's later work still runs.
/// </summary>
public sealed class SerialWork<T>(Func<T, Task> run)
{
    private readonly Queue<T> _items = new();
    private readonly Lock _lock = new();
    private bool _running;
    private bool _completed;
    // Created by the first waiter, completed when the queue runs dry.
    private TaskCompletionSource? _idle;

    /// <summary>Queues <paramref name="item"/>; false once <see cref="CompleteAsync"/> was called.</summary>
    public bool TryPost(T item)
    {
        lock (_lock)
        {
            if (_completed) return false;
            _items.Enqueue(item);
            if (_running) return true;
            _running = true;
        }
        _ = Task.Run(DrainAsync);
        return true;
    }

    /// <summary>Nothing queued or running (cheap: no lock).</summary>
    public bool IsIdle => !Volatile.Read(ref _running);

    /// <summary>Completes once nothing is queued or running (at once when idle).</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock)
            return _running ? (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;
    }

    /// <summary>Takes no more items; completes once those already queued have run.</summary>
    public Task CompleteAsync()
    {
        lock (_lock) _completed = true;
        return WhenIdleAsync();
    }

    private async Task DrainAsync()
    {
        while (TryTakeNext(out var item))
        {
            try { await run(item); }
            catch (Exception) { }
        }
    }

    private bool TryTakeNext(out T item)
    {
        TaskCompletionSource? idle;
        lock (_lock)
        {
            if (_items.TryDequeue(out item!)) return true;
            _running = false;
            (idle, _idle) = (_idle, null);
        }
        idle?.TrySetResult();
        return false;
    }
}

using BmwWallbox.Core;

namespace BmwWallbox.Charging;

/// <summary>
/// Polls meter values while a transaction runs: the box sends none by itself (TxUpdatedInterval 0),
/// so it is asked with TriggerMessage(MeterValues) every <see cref="WallboxOptions.MeterPollInterval"/>.
/// The timer only queues a poll on the controller's worker, and at most one poll waits in that
/// queue, however slow the box answers.
/// </summary>
internal sealed class MeterPolling : IAsyncDisposable
{
    private readonly WallboxCommands _commands;
    private readonly Func<WallboxState?> _box;
    private readonly Action<Func<CancellationToken, Task>> _postToWorker;
    private readonly TimeSpan _interval;
    private readonly ITimer _timer;
    private bool _polling; // worker only
    private int _pollQueued; // set by the timer, cleared by the worker

    public MeterPolling(WallboxCommands commands, Func<WallboxState?> box, TimeSpan interval, TimeProvider time,
        Action<Func<CancellationToken, Task>> postToWorker)
    {
        _commands = commands;
        _box = box;
        _interval = interval;
        _postToWorker = postToWorker;
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Poll while the box is connected with an active transaction; stop otherwise. On the worker.</summary>
    public void Sync()
    {
        var wanted = _box() is { Connected: true, HasActiveTransaction: true };
        if (wanted == _polling) return;
        _polling = wanted;
        var interval = wanted ? _interval : Timeout.InfiniteTimeSpan;
        _timer.Change(interval, interval);
    }

    public ValueTask DisposeAsync() => _timer.DisposeAsync();

    private void OnTimer()
    {
        if (Interlocked.Exchange(ref _pollQueued, 1) == 1) return;
        _postToWorker(async stop =>
        {
            Volatile.Write(ref _pollQueued, 0);
            if (_box() is not { Connected: true, HasActiveTransaction: true }) return;
            await _commands.TriggerMessageAsync(TriggerKind.MeterValues, stop);
        });
    }
}

namespace BmwWallbox.Simulation;

/// <summary>
/// Fails a run that stops making progress. The virtual-time loop waits, at each instant, until the
/// rules, the controller, the CSMS and the box are quiet; if one of them waits for virtual time to
/// pass instead (a reply that comes only after a delay), the loop and it wait for each other forever,
/// at 0 % CPU. The watchdog watches the loop's heartbeat on the wall clock and, after
/// <see cref="SimulationSetup.StallLimit"/> without one, ends the run with what it was waiting for.
/// </summary>
internal sealed class SimulationWatchdog : IAsyncDisposable
{
    private readonly TimeSpan _limit;
    private readonly Func<string> _describe;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _tripped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private long _beats;

    public SimulationWatchdog(TimeSpan limit, Func<string> describe)
    {
        _limit = limit;
        _describe = describe;
        _loop = Task.Run(WatchAsync);
    }

    /// <summary>Completes with a description of where the run stuck, if it does.</summary>
    public Task<string> Tripped => _tripped.Task;

    public void Beat() => Interlocked.Increment(ref _beats);

    private async Task WatchAsync()
    {
        var check = _limit / 4 < TimeSpan.FromSeconds(1) ? _limit / 4 : TimeSpan.FromSeconds(1);
        var seen = Interlocked.Read(ref _beats);
        var since = TimeProvider.System.GetTimestamp();
        try
        {
            while (true)
            {
                await Task.Delay(check, TimeProvider.System, _stop.Token);
                var beats = Interlocked.Read(ref _beats);
                if (beats != seen)
                {
                    (seen, since) = (beats, TimeProvider.System.GetTimestamp());
                    continue;
                }
                if (TimeProvider.System.GetElapsedTime(since) < _limit) continue;
                _tripped.TrySetResult(_describe());
                return;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}

/// <summary>The run stopped making progress (see <see cref="SimulationWatchdog"/>); the message says at which virtual time and waiting for what.</summary>
public sealed class SimulationStuckException(string message) : Exception(message);

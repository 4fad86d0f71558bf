
namespace BmwWallbox.Rules.Engine.Triggers;

/// <summary>
/// A one-shot timer on the injected clock for <c>for:</c>. Not thread-safe: its owner calls it under its own
/// lock and, when the callback arrives, asks <see cref="IsCurrent"/> under that lock, so a callback that
/// raced with a cancel or restart is ignored.
/// </summary>
internal sealed class HoldTimer(TimeProvider time) : IDisposable
{
    private ITimer? _timer;
    private long _generation;

    public bool Running => _timer is not null;

    public void Start(TimeSpan after, Action<long> onElapsed)
    {
        Cancel();
        var generation = _generation;
        _timer = time.CreateTimer(_ => onElapsed(generation), null, after, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True when <paramref name="generation"/> is the running timer's; it is then consumed.</summary>
    public bool IsCurrent(long generation)
    {
        if (_timer is null || generation != _generation) return false;
        Cancel();
        return true;
    }

    public void Cancel()
    {
        _generation++;
        _timer?.Dispose();
        _timer = null;
    }

    public void Dispose() => Cancel();
}

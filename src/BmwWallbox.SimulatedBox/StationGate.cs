using Microsoft.Extensions.Logging;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// The box's one lock. Every state change runs inside <see cref="Mutate{T}"/>; what calls out of the
/// box (channel callbacks, starting delivery) is deferred until the lock is released, so a CSMS that
/// reacts at once never re-enters a half-changed box. Timers fire through it as well.
/// </summary>
internal sealed class StationGate(object owner, TimeProvider time, ILogger log, string stationId)
{
    private readonly object _lock = new();
    private readonly List<Action> _deferred = [];
    private readonly List<BoxTimer> _timers = [];
    private readonly CancellationTokenSource _lifetime = new();
    private bool _disposed;

    public TimeProvider Time => time;

    /// <summary>Cancelled when the box is disposed (background delivery).</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    /// <summary>Asked as the lock is released: the start of delivery, if delivery should start.</summary>
    public Func<Action?>? BeforeRelease { get; set; }

    public bool IsDisposed { get { lock (_lock) return _disposed; } }

    public void ThrowIfDisposed()
    {
        lock (_lock) ObjectDisposedException.ThrowIf(_disposed, owner);
    }

    /// <summary>Reads or changes state under the lock, without deferred effects.</summary>
    public T Locked<T>(Func<T> read)
    {
        lock (_lock) return read();
    }

    /// <summary>As <see cref="Locked{T}(Func{T})"/> with a static reader: no delegate per read (simulate reads the box at every step).</summary>
    public T Locked<TState, T>(TState state, Func<TState, T> read)
    {
        lock (_lock) return read(state);
    }

    public void Locked(Action change)
    {
        lock (_lock) change();
    }

    public void Mutate(Action<DateTimeOffset> change) => Mutate(now => { change(now); return true; });

    public T Mutate<T>(Func<DateTimeOffset, T> change)
    {
        T result;
        Action[] after;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, owner);
            try { result = change(time.GetUtcNow()); }
            finally { after = TakeDeferred(); }
        }
        foreach (var action in after) action();
        return result;
    }

    /// <summary>Runs after the lock is released (channel callbacks, starting the delivery pump).</summary>
    public void Defer(Action action) => _deferred.Add(action);

    /// <summary>A disarmed timer whose ticks change state like <see cref="Mutate(Action{DateTimeOffset})"/>.</summary>
    public BoxTimer NewTimer(Action<DateTimeOffset> onTick)
    {
        var timer = new BoxTimer(time.CreateTimer(_ => Tick(onTick), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        _timers.Add(timer);
        return timer;
    }

    /// <summary>Stops the timers and background delivery; false when already disposed.</summary>
    public bool Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return false;
            _disposed = true;
        }
        _lifetime.Cancel();
        foreach (var timer in _timers) timer.Dispose();
        _lifetime.Dispose();
        return true;
    }

    private Action[] TakeDeferred()
    {
        if (BeforeRelease?.Invoke() is { } start) _deferred.Add(start);
        if (_deferred.Count == 0) return [];
        var after = _deferred.ToArray();
        _deferred.Clear();
        return after;
    }

    private void Tick(Action<DateTimeOffset> onTick)
    {
        try
        {
            if (IsDisposed) return;
            Mutate(onTick);
        }
        catch (Exception e) when (e is not ObjectDisposedException)
        {
            log.LogError(e, "Station {StationId}: timer callback failed", stationId);
        }
        catch (ObjectDisposedException) { }
    }
}

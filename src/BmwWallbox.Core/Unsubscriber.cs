namespace BmwWallbox.Core;

/// <summary>A subscription as an <see cref="IDisposable"/>: disposing it unsubscribes, once.</summary>
public sealed class Unsubscriber(Action unsubscribe) : IDisposable
{
    private Action? _unsubscribe = unsubscribe;

    public void Dispose() => Interlocked.Exchange(ref _unsubscribe, null)?.Invoke();
}

namespace BmwWallbox.Core;

/// <summary>
/// Calls back once the watched files have been quiet for the debounce time (on the injected clock), so a burst of
/// writes (an editor's save, <see cref="AtomicFile"/>'s temp file and rename) is one call. A file system watcher
/// notices the changes; an optional slow poll catches what it misses (some file systems and full inotify tables do).
/// </summary>
public sealed class DebouncedFileWatch : IDisposable
{
    private readonly ITimer _settle;
    private readonly ITimer? _poll;
    private readonly FileSystemWatcher? _watcher;
    private readonly TimeSpan _debounce;
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <param name="filter">The file names to watch in <paramref name="dir"/>, e.g. <c>*.yaml</c>.</param>
    /// <param name="onQuiet">Called on a timer thread once the files have been quiet for <paramref name="debounce"/>; it must not block.</param>
    /// <param name="poll">Also call back this often, changed or not (null: only on changes).</param>
    public DebouncedFileWatch(string dir, string filter, TimeSpan debounce, Action onQuiet, TimeProvider time,
        bool includeSubdirectories = false, TimeSpan? poll = null)
    {
        _debounce = debounce;
        _settle = time.CreateTimer(_ => onQuiet(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (poll is { } interval) _poll = time.CreateTimer(_ => Poke(), null, interval, interval);
        try
        {
            _watcher = new FileSystemWatcher(dir, filter)
            {
                IncludeSubdirectories = includeSubdirectories,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName,
            };
            _watcher.Changed += (_, _) => Poke();
            _watcher.Created += (_, _) => Poke();
            _watcher.Deleted += (_, _) => Poke();
            _watcher.Renamed += (_, _) => Poke();
            // The watcher's buffer overflowed: changes were lost, so look anyway.
            _watcher.Error += (_, _) => Poke();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            _watcher?.Dispose();
            _watcher = null;
            Problem = e.Message;
        }
    }

    /// <summary>Why the folder is not watched (changes are then noticed only by the poll, or by <see cref="Poke"/>); null while it is.</summary>
    public string? Problem { get; }

    /// <summary>Raised when a change was noticed and the debounce (re)armed; lets tests move virtual time safely.</summary>
    public event Action? ChangeNoticed;

    /// <summary>Calls back after the files have been quiet for the debounce time (each poke restarts the wait).</summary>
    public void Poke()
    {
        lock (_lock)
        {
            // A virtual clock's timer would fire even after it was disposed.
            if (_disposed) return;
            _settle.Change(_debounce, Timeout.InfiniteTimeSpan);
        }
        ChangeNoticed?.Invoke();
    }

    public void Dispose()
    {
        lock (_lock) _disposed = true;
        _watcher?.Dispose();
        _poll?.Dispose();
        _settle.Dispose();
    }
}

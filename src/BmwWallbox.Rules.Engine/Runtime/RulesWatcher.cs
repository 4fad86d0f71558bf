
namespace BmwWallbox.Rules.Engine.Runtime;

/// <summary>
/// Watches the rules folder and calls back once it has been quiet for the debounce time (on the injected
/// clock), so an editor's burst of writes leads to one reload.
/// </summary>
internal sealed class RulesWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly TimeProvider _time;
    private readonly TimeSpan _debounce;
    private readonly Action _onQuiet;
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private bool _disposed;

    public RulesWatcher(string dir, TimeProvider time, TimeSpan debounce, Action onQuiet)
    {
        _time = time;
        _debounce = debounce;
        _onQuiet = onQuiet;
        _watcher = new FileSystemWatcher(dir, "*.yaml")
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName,
        };
        _watcher.Changed += OnChange;
        _watcher.Created += OnChange;
        _watcher.Deleted += OnChange;
        _watcher.Renamed += OnChange;
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Raised when a change was noticed and the debounce timer (re)armed; lets tests advance virtual time safely.</summary>
    public event Action? ChangeNoticed;

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        lock (_lock)
        {
            if (_disposed) return;
            _timer?.Dispose();
            _timer = _time.CreateTimer(_ => _onQuiet(), null, _debounce, Timeout.InfiniteTimeSpan);
        }
        ChangeNoticed?.Invoke();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
        }
        _watcher.Dispose();
    }
}

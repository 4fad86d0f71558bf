using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Hosting;

/// <summary>
/// Notices that data_dir/stations.json changed (a person approved, rejected or forgot a station, from the CLI or over MQTT):
/// a file system watcher, a change settled for <see cref="Debounce"/> (so a burst of writes is one check), and a slow poll
/// in case the watcher misses one (some file systems and full inotify tables do).
/// </summary>
internal sealed class ApprovalFileWatch : IDisposable
{
    public static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);
    private readonly ITimer _settle;
    private readonly ITimer _poll;
    private readonly FileSystemWatcher? _watcher;

    /// <param name="onChange">Called on a timer thread once the file has been quiet for <see cref="Debounce"/>; it must not block.</param>
    public ApprovalFileWatch(string filePath, Action onChange, TimeProvider time, ILogger log)
    {
        _settle = time.CreateTimer(_ => onChange(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _poll = time.CreateTimer(_ => Poke(), null, PollInterval, PollInterval);
        var full = Path.GetFullPath(filePath);
        try
        {
            // The name with '*': AtomicFile writes stations.json.tmp and renames it over stations.json.
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full) + "*")
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            _watcher.Changed += (_, _) => Poke();
            _watcher.Created += (_, _) => Poke();
            _watcher.Deleted += (_, _) => Poke();
            _watcher.Renamed += (_, _) => Poke();
            _watcher.Error += (_, _) => Poke();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            _watcher?.Dispose();
            _watcher = null;
            log.LogWarning("Cannot watch {File} ({Problem}): approvals are noticed within {Seconds} s instead of at once",
                full, e.Message, (int)PollInterval.TotalSeconds);
        }
    }

    /// <summary>Checks after the file has been quiet for <see cref="Debounce"/> (each poke restarts the wait).</summary>
    public void Poke() => _settle.Change(Debounce, Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _watcher?.Dispose();
        _poll.Dispose();
        _settle.Dispose();
    }
}

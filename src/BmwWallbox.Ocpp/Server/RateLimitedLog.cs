using System.Net;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// Logs what one address does wrong at a bounded rate: the first occurrence in full, then at most
/// one summary line per address and interval ("N failed logins from X in the last 60 s").
/// Beyond <see cref="MaxAddresses"/> addresses at once, the rest share one summary line.
/// </summary>
internal sealed class RateLimitedLog(ILogger logger, TimeProvider time, TimeSpan interval, string what) : IDisposable
{
    public const int MaxAddresses = 100;
    private const string OtherAddresses = "other addresses";
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Counts one occurrence; <paramref name="writeFirst"/> logs it in full unless the address was logged within the interval.</summary>
    public void Report(IPAddress address, Action<ILogger> writeFirst)
    {
        lock (_lock)
        {
            var key = address.ToString();
            if (!_entries.ContainsKey(key) && _entries.Count >= MaxAddresses) key = OtherAddresses;
            if (_entries.TryGetValue(key, out var entry))
            {
                entry.Suppressed++;
                return;
            }
            entry = new Entry();
            entry.Timer = time.CreateTimer(_ => Flush(key), null, interval, interval);
            _entries[key] = entry;
            if (key == OtherAddresses) entry.Suppressed++;
            else writeFirst(logger);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var entry in _entries.Values) entry.Timer?.Dispose();
            _entries.Clear();
        }
    }

    private void Flush(string key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry)) return;
            if (entry.Suppressed == 0)
            {
                entry.Timer?.Dispose();
                _entries.Remove(key);
                return;
            }
            logger.LogWarning("{Count} {What} from {Address} in the last {Seconds} s", entry.Suppressed, what, key, (int)interval.TotalSeconds);
            entry.Suppressed = 0;
        }
    }

    private sealed class Entry
    {
        public int Suppressed { get; set; }
        public ITimer? Timer { get; set; }
    }
}

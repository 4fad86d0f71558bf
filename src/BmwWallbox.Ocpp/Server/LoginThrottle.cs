using System.Net;

namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// Slows down password guessing: an address with <c>maxFailures</c> failed logins within
/// <c>window</c> is refused (429) until the oldest of them is older than the window. A
/// successful login clears its record.
/// </summary>
internal sealed class LoginThrottle(int maxFailures, TimeSpan window, TimeProvider time)
{
    private const int MaxAddresses = 10_000;
    private readonly Dictionary<IPAddress, Queue<DateTimeOffset>> _failures = [];
    private readonly Lock _lock = new();

    /// <summary>How long the address must wait before it may try again; null when it may try now.</summary>
    public TimeSpan? RetryAfter(IPAddress address)
    {
        lock (_lock)
        {
            if (!_failures.TryGetValue(address, out var failures)) return null;
            var now = time.GetUtcNow();
            while (failures.TryPeek(out var oldest) && oldest <= now - window) failures.Dequeue();
            if (failures.Count == 0) _failures.Remove(address);
            return failures.Count >= maxFailures ? failures.Peek() + window - now : null;
        }
    }

    public void Failed(IPAddress address)
    {
        lock (_lock)
        {
            if (!_failures.TryGetValue(address, out var failures))
            {
                if (_failures.Count >= MaxAddresses) ForgetExpired();
                _failures[address] = failures = new Queue<DateTimeOffset>();
            }
            failures.Enqueue(time.GetUtcNow());
            if (failures.Count > maxFailures) failures.Dequeue();
        }
    }

    public void Succeeded(IPAddress address)
    {
        lock (_lock) _failures.Remove(address);
    }

    private void ForgetExpired()
    {
        var cutoff = time.GetUtcNow() - window;
        foreach (var (address, failures) in _failures.ToList())
        {
            if (failures.Count == 0 || failures.Last() <= cutoff) _failures.Remove(address);
        }
    }
}

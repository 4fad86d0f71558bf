using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox;

/// <summary>Bounded event history plus waiters, so tests can await "the next X" without races.</summary>
internal sealed class EventLog(int capacity)
{
    private readonly object _lock = new();
    private readonly Queue<BoxEvent> _ring = new();
    private readonly List<(Func<BoxEvent, bool> Match, TaskCompletionSource<BoxEvent> Done)> _waiters = [];
    private readonly Dictionary<string, int> _received = [];
    private readonly Dictionary<string, int> _sent = [];
    private long _next;

    public long NextSequence { get { lock (_lock) return _next; } }

    public void Add(DateTimeOffset time, SimulatorEventKind kind, string? action = null, JsonNode? payload = null,
        JsonNode? response = null, string? errorCode = null, string? detail = null, double? amps = null)
    {
        lock (_lock)
        {
            var e = new BoxEvent(_next++, time, kind, action, payload, response, errorCode, detail, amps);
            if (capacity > 0)
            {
                if (_ring.Count == capacity) _ring.Dequeue();
                _ring.Enqueue(e);
            }
            if (kind == SimulatorEventKind.CallReceived) Count(_received, action!);
            if (kind == SimulatorEventKind.MessageSent && detail is null) Count(_sent, action!);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(e)) continue;
                _waiters[i].Done.TrySetResult(e);
                _waiters.RemoveAt(i);
            }
        }
    }

    public Task<BoxEvent> WaitAsync(Func<BoxEvent, bool> match, long since, CancellationToken ct)
    {
        lock (_lock)
        {
            foreach (var e in _ring)
                if (e.Sequence >= since && match(e)) return Task.FromResult(e);
            var done = new TaskCompletionSource<BoxEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            var entry = (match, done);
            _waiters.Add(entry);
            if (ct.CanBeCanceled)
            {
                var registration = ct.Register(() =>
                {
                    lock (_lock) _waiters.Remove(entry);
                    done.TrySetCanceled(ct);
                });
                done.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
            }
            return done.Task;
        }
    }

    public IReadOnlyList<BoxEvent> Snapshot() { lock (_lock) return [.. _ring]; }

    public int ReceivedCount(string action) { lock (_lock) return _received.GetValueOrDefault(action); }

    public int SentCount(string action) { lock (_lock) return _sent.GetValueOrDefault(action); }

    private static void Count(Dictionary<string, int> counts, string action) =>
        counts[action] = counts.GetValueOrDefault(action) + 1;
}

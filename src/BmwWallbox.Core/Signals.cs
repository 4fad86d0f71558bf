namespace BmwWallbox.Core;

/// <summary>A configured input signal (solar power, price, ...).</summary>
public sealed record SignalDefinition(string Name, TimeSpan? StaleAfter = null);

/// <summary>A signal's value as rules see it. Never a made-up zero: Value is null until a value arrives.</summary>
public sealed record SignalReading(string Name, double? Value, DateTimeOffset? UpdatedAt, bool Stale)
{
    public bool Available => Value is not null && !Stale;
}

public interface ISignals
{
    IReadOnlyCollection<string> Names { get; }
    bool IsKnown(string name);
    /// <summary>Throws <see cref="KeyNotFoundException"/> for a name that is not configured.</summary>
    SignalReading Get(string name);
    /// <summary>Raised on every new value and when a value turns stale. Handlers must not block.</summary>
    event Action<SignalReading>? Changed;
}

/// <summary>
/// Holds the latest value of every configured signal. Staleness runs on the injected clock, so
/// a value that stops arriving turns unavailable after <c>stale_after</c> in virtual time too.
/// Stale means MORE than stale_after without a value: a sensor publishing exactly every stale_after is on
/// time, and at the instant its next value is due the signal is still available (else every such boundary
/// would drop a pending <c>for:</c>, and a hold as long as the interval would never complete).
/// </summary>
public sealed class SignalStore : ISignals, IDisposable
{
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Slot> _slots;
    private readonly Lock _lock = new();

    /// <summary>The stale timer fires the smallest step after stale_after, when the value has become stale.</summary>
    private static readonly TimeSpan StaleMargin = TimeSpan.FromTicks(1);

    public SignalStore(IEnumerable<SignalDefinition> definitions, TimeProvider time)
    {
        _time = time;
        _slots = definitions.ToDictionary(d => d.Name, d => new Slot(d), StringComparer.Ordinal);
    }

    public event Action<SignalReading>? Changed;

    public IReadOnlyCollection<string> Names => _slots.Keys;

    public bool IsKnown(string name) => _slots.ContainsKey(name);

    public SignalReading Get(string name)
    {
        if (!_slots.TryGetValue(name, out var slot))
            throw new KeyNotFoundException($"Unknown signal '{name}'");
        lock (_lock) return Read(slot);
    }

    /// <summary>Store a new value, stamped with the injected clock's now.</summary>
    public void Set(string name, double value)
    {
        if (!_slots.TryGetValue(name, out var slot))
            throw new KeyNotFoundException($"Unknown signal '{name}'");
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), $"Signal '{name}' must be a finite number");
        SignalReading reading;
        lock (_lock)
        {
            slot.Value = value;
            slot.UpdatedAt = _time.GetUtcNow();
            slot.ReportedStale = false;
            if (slot.Definition.StaleAfter is { } after)
            {
                slot.Timer ??= _time.CreateTimer(_ => OnStaleTimer(slot), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                slot.Timer.Change(after + StaleMargin, Timeout.InfiniteTimeSpan);
            }
            reading = Read(slot);
        }
        Changed?.Invoke(reading);
    }

    private void OnStaleTimer(Slot slot)
    {
        SignalReading reading;
        lock (_lock)
        {
            reading = Read(slot);
            if (!reading.Stale || slot.ReportedStale) return;
            slot.ReportedStale = true;
        }
        Changed?.Invoke(reading);
    }

    private SignalReading Read(Slot slot)
    {
        var stale = slot.UpdatedAt is { } at && slot.Definition.StaleAfter is { } after && _time.GetUtcNow() - at > after;
        return new SignalReading(slot.Definition.Name, slot.Value, slot.UpdatedAt, stale);
    }

    public void Dispose()
    {
        foreach (var slot in _slots.Values) slot.Timer?.Dispose();
    }

    private sealed class Slot(SignalDefinition definition)
    {
        public SignalDefinition Definition { get; } = definition;
        public double? Value;
        public DateTimeOffset? UpdatedAt;
        public bool ReportedStale;
        public ITimer? Timer;
    }
}

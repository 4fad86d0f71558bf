using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging.Tests.TestDoubles;

public sealed record LogEntry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties);

/// <summary>Keeps every log entry with its structured properties.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly Lock _lock = new();
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get { lock (_lock) return _entries.ToArray(); }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value)
            : new Dictionary<string, object?>();
        lock (_lock) _entries.Add(new LogEntry(logLevel, formatter(state, exception), properties));
    }
}

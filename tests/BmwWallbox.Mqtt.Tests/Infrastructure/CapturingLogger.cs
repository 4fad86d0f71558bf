using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Mqtt.Tests.Infrastructure;

internal sealed record LogEntry(string Category, LogLevel Level, string Message);

/// <summary>Keeps every log line so tests can check what was warned about, and how often.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly Lock _lock = new();
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource Done)> _waiters = [];

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>Completes when a matching entry is (or was already) logged.</summary>
    public Task NextMatchAsync(Func<LogEntry, bool> match)
    {
        lock (_lock)
        {
            if (_entries.Any(match)) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(TestMqttClient.Timeout);
        }
    }

    private void Add(LogEntry entry)
    {
        lock (_lock)
        {
            _entries.Enqueue(entry);
            foreach (var waiter in _waiters.Where(w => w.Match(entry)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }

    public ILoggerFactory CreateFactory()
        => new LoggerFactory([this], new LoggerFilterOptions { MinLevel = LogLevel.Trace });

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Add);

    public void Dispose() { }

    private sealed class Logger(string category, Action<LogEntry> add) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => add(new LogEntry(category, logLevel, formatter(state, exception)));
    }
}

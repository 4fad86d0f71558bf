using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace BmwWallbox.Charging.Tests.Integration;

/// <summary>Logs of every component in a live test: kept for assertions and written to the test output (shown when a test fails).</summary>
public sealed class TestLogs(ITestOutputHelper? output, TimeProvider clock) : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TimeProvider _clock = clock;

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public ILogger<T> For<T>() => new Logger<T>(this);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private void Write(string line)
    {
        _lines.Enqueue(line);
        try
        {
            output?.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // a background component logged after the test ended
        }
    }

    private sealed class Logger(TestLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var error = exception is null ? "" : $" {exception.GetType().Name}: {exception.Message}";
            logs.Write($"{logs._clock.GetUtcNow():HH:mm:ss} {logLevel.ToString()[..4]} {category}: {formatter(state, exception)}{error}");
        }
    }
}

using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace BmwWallbox.TestKit.Logging;

/// <summary>
/// The logs of the code under test: every entry is kept for assertions and written to the test
/// output (shown when a test fails). An Error or Critical entry is a failure unless the test said it
/// expects it (<see cref="AllowErrors"/>): the rig that owns these logs calls
/// <see cref="AssertNoUnexpectedErrors"/> when it is disposed, so a background error that no
/// assertion looks at still fails the test (as MQTTnet's test environment does).
/// </summary>
public sealed class TestLogs(ITestOutputHelper? output = null, TimeProvider? clock = null) : ILoggerFactory
{
    private readonly Lock _lock = new();
    private readonly List<LogEntry> _entries = [];
    private readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource Done)> _waiters = [];
    private readonly List<Func<LogEntry, bool>> _expectedErrors = [];
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public IReadOnlyList<LogEntry> Entries
    {
        get { lock (_lock) return [.. _entries]; }
    }

    /// <summary>The entries as written to the test output: "HH:mm:ss Leve Category: message".</summary>
    public IReadOnlyList<string> Lines => [.. Entries.Select(Line)];

    public IEnumerable<LogEntry> AtLeast(LogLevel level) => Entries.Where(e => e.Level >= level);

    /// <summary>Completes when a matching entry is (or was already) logged.</summary>
    public Task NextMatchAsync(Func<LogEntry, bool> match)
    {
        lock (_lock)
        {
            if (_entries.Any(match)) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(TestTimeouts.Guard);
        }
    }

    /// <summary>Declares errors this test provokes on purpose; <paramref name="expected"/> null allows every error.</summary>
    public void AllowErrors(Func<LogEntry, bool>? expected = null)
    {
        lock (_lock) _expectedErrors.Add(expected ?? (_ => true));
    }

    /// <summary>Fails the test when the code under test logged an error the test did not declare.</summary>
    public void AssertNoUnexpectedErrors()
    {
        List<LogEntry> unexpected;
        lock (_lock) unexpected = [.. _entries.Where(e => e.Level >= LogLevel.Error && !_expectedErrors.Any(expected => expected(e)))];
        if (unexpected.Count == 0) return;
        throw new XunitException(
            $"The code under test logged {unexpected.Count} unexpected error(s) (declare expected ones with {nameof(TestLogs)}.{nameof(AllowErrors)}):\n"
            + string.Join("\n", unexpected.Select(e => Line(e) + (e.Exception is null ? "" : "\n" + e.Exception))));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public ILogger<T> For<T>() => new Logger<T>(this);

    void ILoggerFactory.AddProvider(ILoggerProvider provider) { }

    /// <summary>Nothing to release; the error check is <see cref="AssertNoUnexpectedErrors"/>, called by the rig.</summary>
    public void Dispose() { }

    private static string Line(LogEntry e)
    {
        var error = e.Exception is null ? "" : $" {e.Exception.GetType().Name}: {e.Exception.Message}";
        return $"{e.Time:HH:mm:ss} {e.Level.ToString()[..4]} {e.Category}: {e.Message}{error}";
    }

    private void Add(LogEntry entry)
    {
        lock (_lock)
        {
            _entries.Add(entry);
            foreach (var waiter in _waiters.Where(w => w.Match(entry)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
        try
        {
            output?.WriteLine(Line(entry));
        }
        catch (InvalidOperationException)
        {
            // a background component logged after the test ended
        }
    }

    private sealed class Logger(TestLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // A template may name a property twice ("within {Timeout} ... up to {Timeout} more"): the last one wins.
            var properties = new Dictionary<string, object?>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
                foreach (var (key, value) in pairs) properties[key] = value;
            logs.Add(new LogEntry(logs._clock.GetUtcNow(), category, logLevel, formatter(state, exception), exception, properties));
        }
    }
}

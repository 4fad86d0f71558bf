using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Engine.Tracing;

/// <summary>
/// Keeps the last N traces per rule, logs each as a structured event and publishes it (retained) on
/// <c>&lt;base&gt;/rules/&lt;rule_id&gt;/trace</c>.
/// </summary>
internal sealed class TraceLog(int history, IMessageBus bus, ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<RuleTrace>> _traces = new(StringComparer.Ordinal);

    public event Action<RuleTrace>? Recorded;

    public IReadOnlyList<RuleTrace> Get(string ruleId)
    {
        lock (_lock) return _traces.TryGetValue(ruleId, out var q) ? [.. q] : [];
    }

    public async Task RecordAsync(RuleTrace trace, CancellationToken ct)
    {
        lock (_lock)
        {
            if (!_traces.TryGetValue(trace.RuleId, out var queue)) _traces[trace.RuleId] = queue = new Queue<RuleTrace>();
            queue.Enqueue(trace);
            while (queue.Count > Math.Max(history, 1)) queue.Dequeue();
        }
        Log(trace);
        try
        {
            await bus.PublishAsync(bus.Topics.RuleTrace(trace.RuleId), TraceJson.Serialize(trace), retain: true, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not publish the trace of rule {Rule}", trace.RuleId);
        }
        Recorded?.Invoke(trace);
    }

    private void Log(RuleTrace trace)
    {
        var level = trace.Error is not null ? LogLevel.Warning
            : trace.Actions.Count > 0 ? LogLevel.Information
            : LogLevel.Debug;
        if (!logger.IsEnabled(level)) return; // the joins below cost real time in a year-long simulate
        logger.Log(level, "Rule {Rule} run {Run} ({Trigger}): {Result}. Conditions: {Conditions}. Actions: {Actions}.{Error}",
            trace.RuleId, trace.Run, trace.Trigger.Description, trace.Result,
            ListOrNone(trace.Conditions.Select(c => $"{c.Condition.Trim()} = {c.Result} ({c.Saw})")),
            ListOrNone(trace.Actions.Select(a => $"{a.Action}: {a.Outcome} ({a.Message})")),
            trace.Error is null ? "" : $" Error: {trace.Error}");
    }

    /// <summary>"a; b", or "none" rather than an empty place in the line.</summary>
    private static string ListOrNone(IEnumerable<string> items) => string.Join("; ", items) is { Length: > 0 } list ? list : "none";
}

using BmwWallbox.Rules.Engine.Model;

namespace BmwWallbox.Rules.Engine.Tracing;

/// <summary>Run counters per rule id; they outlive reloads so doctor sees a rule's whole history.</summary>
internal sealed class RuleStatsBook
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Counters> _counters = new(StringComparer.Ordinal);

    public void Fired(string ruleId, DateTimeOffset at)
    {
        lock (_lock) Get(ruleId).LastFiredAt = at;
    }

    public void Finished(RuleTrace trace)
    {
        lock (_lock)
        {
            var c = Get(trace.RuleId);
            c.Runs++;
            c.LastResult = trace.Result;
            if (trace.Error is null) return;
            c.Errors++;
            c.LastError = trace.Error;
        }
    }

    public RuleStats Snapshot(RuleDefinition rule, DateTimeOffset loadedAt, bool holding)
    {
        lock (_lock)
        {
            var c = Get(rule.Id);
            return new RuleStats(rule.Id, rule.Name, rule.Body is LevelRuleBody ? "level" : "edge", rule.Location.File, rule.Location.Line,
                rule.Enabled, loadedAt, c.Runs, c.Errors, c.LastFiredAt, c.LastResult, c.LastError, holding);
        }
    }

    private Counters Get(string id)
    {
        if (!_counters.TryGetValue(id, out var c)) _counters[id] = c = new Counters();
        return c;
    }

    private sealed class Counters
    {
        public long Runs;
        public long Errors;
        public DateTimeOffset? LastFiredAt;
        public string? LastResult;
        public string? LastError;
    }
}

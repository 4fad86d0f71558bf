using System.Collections.Concurrent;

namespace BmwWallbox.Rules.Engine.Runtime;

/// <summary>
/// The JavaScript <c>store</c> of each rule, as JSON. Kept by the runtime, so values survive between runs
/// and across reloads (not across restarts of the process). Each rule's store is bounded, so a script
/// cannot grow the daemon's memory run by run.
/// </summary>
internal sealed class RuleStore
{
    /// <summary>The most characters of JSON one rule's store may hold.</summary>
    public const int MaxJsonLength = 64 * 1024;

    private readonly ConcurrentDictionary<string, string> _json = new(StringComparer.Ordinal);

    public string Get(string ruleId) => _json.GetValueOrDefault(ruleId, "{}");

    public void Set(string ruleId, string json) => _json[ruleId] = json;
}

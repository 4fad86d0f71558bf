using System.Globalization;
using System.Text.Json;
using BmwWallbox.Rules.Engine.Tracing;

namespace BmwWallbox.Rules.Engine.Triggers;

/// <summary>What fired a run, with its values (numbers stay numbers for scripts).</summary>
internal sealed record TriggerFired(string Kind, string Description, IReadOnlyDictionary<string, object?> Values)
{
    public TraceTrigger ToTrace() => new(Kind, Description,
        Values.ToDictionary(kv => kv.Key, kv => kv.Value is null ? null : TraceText.Quote(Convert.ToString(kv.Value, CultureInfo.InvariantCulture)!)));

    /// <summary>The <c>trigger</c> object scripts see: { kind, description, ...values }.</summary>
    public string ToJson()
    {
        var all = new Dictionary<string, object?>(Values) { ["kind"] = Kind, ["description"] = Description };
        return JsonSerializer.Serialize(all);
    }

    public static TriggerFired Of(string kind, string description, params (string Key, object? Value)[] values) =>
        new(kind, description, values.ToDictionary(v => v.Key, v => v.Value));
}

using System.Text.RegularExpressions;
using BmwWallbox.Rules.Engine.Model;

namespace BmwWallbox.Rules.Engine.Loading;

/// <summary>What a rule refers to: signals (in YAML and, by name, in its scripts) and whether it uses the wallbox.</summary>
internal static partial class RuleReferences
{
    // signals.NAME and signals.available("NAME") in scripts; good enough to catch typos at load.
    [GeneratedRegex(@"\bsignals\s*\.\s*(?:available\s*\(\s*[""']([^""']+)[""']|([A-Za-z_$][\w$]*))")]
    private static partial Regex ScriptSignal();

    public static IEnumerable<(string Signal, SourceLocation At)> Signals(RuleDefinition rule) => rule.Body switch
    {
        EdgeRuleBody edge => edge.When.SelectMany(Signals)
            .Concat(edge.If.SelectMany(Signals))
            .Concat(edge.Then.OfType<ScriptAction>().SelectMany(a => Signals(a.Script))),
        LevelRuleBody level => Signals(level.While).Concat(level.Until is null ? [] : Signals(level.Until))
            .Concat(level.Computed?.Signals ?? []),
        _ => [],
    };

    /// <summary>Signals whose data an edge rule's decision rests on (triggers and conditions).</summary>
    public static IReadOnlySet<string> DecisionSignals(EdgeRuleBody edge) =>
        edge.When.SelectMany(Signals).Concat(edge.If.SelectMany(Signals)).Select(s => s.Signal).ToHashSet(StringComparer.Ordinal);

    public static bool UsesWallbox(RuleDefinition rule) => rule.Body switch
    {
        LevelRuleBody => true,
        EdgeRuleBody edge => edge.When.Any(t => t is WallboxStateTrigger or WallboxEventTrigger)
            || edge.If.Any(UsesWallbox)
            || edge.Then.Any(a => a is ControllerAction),
        _ => false,
    };

    private static IEnumerable<(string Signal, SourceLocation At)> Signals(TriggerDefinition trigger) => trigger switch
    {
        SignalThresholdTrigger t => [(t.Signal, t.Location)],
        SignalChangeTrigger t => [(t.Signal, t.Location)],
        _ => [],
    };

    public static IEnumerable<(string Signal, SourceLocation At)> Signals(ConditionDefinition condition) => condition switch
    {
        SignalCondition c => [(c.Signal, c.Location)],
        AllCondition c => c.Items.SelectMany(Signals),
        AnyCondition c => c.Items.SelectMany(Signals),
        NotCondition c => Signals(c.Inner),
        ScriptCondition c => Signals(c.Script),
        _ => [],
    };

    private static IEnumerable<(string Signal, SourceLocation At)> Signals(ScriptSnippet script)
    {
        var lines = script.Code.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            foreach (Match m in ScriptSignal().Matches(lines[i]))
            {
                var name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                if (name != "available") yield return (name, script.Map(i + 1, m.Index + (i == 0 ? script.WrapperShift : 0)));
            }
    }

    private static bool UsesWallbox(ConditionDefinition condition) => condition switch
    {
        WallboxCondition => true,
        AllCondition c => c.Items.Any(UsesWallbox),
        AnyCondition c => c.Items.Any(UsesWallbox),
        NotCondition c => UsesWallbox(c.Inner),
        _ => false,
    };
}

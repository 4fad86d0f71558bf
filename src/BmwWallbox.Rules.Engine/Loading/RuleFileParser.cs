using System.Text.RegularExpressions;
using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Yaml;
using YamlDotNet.RepresentationModel;

namespace BmwWallbox.Rules.Engine.Loading;

/// <summary>
/// One rule file → rule definitions. A file is a YAML list of rules; each rule is either an edge rule
/// (when/if/then) or a level rule (while/limit).
/// </summary>
internal static partial class RuleFileParser
{
    private static readonly string[] Common = ["id", "name", "description", "enabled", "station"];
    private static readonly string[] Edge = ["when", "if", "then", "mode", "max"];
    private static readonly string[] Level = ["while", "until", "for", "limit"];
    private static readonly string[] Modes = ["single", "restart", "queued", "parallel"];

    // Words of a Home Assistant automation, which many users write first: the nearest spelling would mislead ('action' → 'station').
    private static readonly Dictionary<string, string> HomeAssistantWords = new(StringComparer.Ordinal)
    {
        ["trigger"] = "when", ["triggers"] = "when", ["condition"] = "if", ["conditions"] = "if",
        ["action"] = "then", ["actions"] = "then", ["alias"] = "name",
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex IdPattern();

    /// <summary>The rules of one file; every mistake is reported into <paramref name="yaml"/>.</summary>
    public static IReadOnlyList<RuleDefinition> Parse(YamlFile yaml)
    {
        if (yaml.SyntaxError is { } syntax)
        {
            if (syntax.HasPlace) yaml.Error(syntax.Line, syntax.Column, $"not valid YAML: {syntax.Reason}");
            else yaml.Error(1, 1, $"not valid YAML ({syntax.Reason})", "check brackets, quotes and indentation");
            return [];
        }
        if (yaml.Root is null or YamlScalarNode { Value: "" or null }) return [];
        if (yaml.Root is not YamlSequenceNode rules)
        {
            yaml.Error(yaml.Root, "a rule file is a list of rules", "start each rule with '- id: my-rule'");
            return [];
        }
        var result = new List<RuleDefinition>();
        foreach (var node in rules)
        {
            if (node is YamlMappingNode mapping) { if (Rule(new YamlMap(mapping, yaml), yaml) is { } rule) result.Add(rule); }
            else yaml.Error(node, "expected a rule (a mapping starting with 'id:')");
        }
        return result;
    }

    private static string? HomeAssistantHint(string key, string[] allowed) =>
        HomeAssistantWords.TryGetValue(key, out var ours) && allowed.Contains(ours) ? $"a Home Assistant automation's '{key}:' is '{ours}:' in a rule" : null;

    private static RuleDefinition? Rule(YamlMap map, YamlFile yaml)
    {
        var at = yaml.At(map.Node);
        var id = map.Text("id", required: true, expected: "a unique rule id like solar-pause");
        if (id is not null && !IdPattern().IsMatch(id))
            yaml.Error(map.Get("id")!, $"rule id '{id}' may only hold letters, digits, '-' and '_'", "the id is an MQTT topic level: <base>/rules/<id>/trace");
        else if (id is not null && TopicLayout.ReservedRuleIds.Contains(id))
            yaml.Error(map.Get("id")!, $"rule id '{id}' is taken: its trace topic <base>/rules/{id}/trace would be read as a command to a station (<base>/<name>/{id}/...)",
                $"choose another id, e.g. '{id}-limit'");
        var ruleId = id ?? "rule";
        var name = map.Text("name") ?? ruleId;
        var description = map.Text("description");
        var enabled = map.Bool("enabled") ?? true;
        var station = map.Text("station", expected: "a station name");

        var isEdge = Edge.Any(map.Has);
        var isLevel = Level.Any(map.Has);
        if (isEdge && isLevel)
        {
            yaml.Error(map.Node, $"rule '{ruleId}' mixes an edge rule (when/if/then) with a level rule (while/until/for/limit)",
                "a rule is one or the other; split it into two rules");
            return null;
        }
        if (!isEdge && !isLevel)
        {
            string[] any = [.. Common, .. Edge, .. Level];
            map.RejectUnknown(any, $"rule '{ruleId}'", key => HomeAssistantHint(key, any));
            yaml.Error(map.Node, $"rule '{ruleId}' does nothing", "expected 'when:' + 'then:' (edge rule) or 'while:' + 'limit:' (level rule)");
            return null;
        }
        string[] allowed = [.. Common, .. (isEdge ? Edge : Level)];
        map.RejectUnknown(allowed, $"rule '{ruleId}'", key => HomeAssistantHint(key, allowed));
        RuleBody? body = isEdge ? EdgeBody(map, ruleId, yaml) : LevelBody(map, ruleId, yaml);
        return id is null || body is null ? null : new RuleDefinition(id, name, description, enabled, station, at, body);
    }

    private static EdgeRuleBody? EdgeBody(YamlMap map, string ruleId, YamlFile yaml)
    {
        var whenNode = map.Get("when");
        var thenNode = map.Get("then");
        if (whenNode is null) yaml.Error(map.Node, $"rule '{ruleId}' has no 'when:'", "an edge rule needs triggers, e.g. when: [{ at: \"17:00\" }]");
        if (thenNode is null) yaml.Error(map.Node, $"rule '{ruleId}' has no 'then:'", "an edge rule needs actions, e.g. then: [pause]");
        var when = whenNode is null ? [] : TriggerParser.ParseList(whenNode, yaml);
        var conditions = map.Get("if") is { } ifNode ? ConditionParser.ParseList(ifNode, ruleId, yaml) : [];
        var then = thenNode is null ? [] : ActionParser.ParseList(thenNode, ruleId, yaml);
        var modeText = map.Text("mode") ?? "single";
        var max = map.Number("max") ?? 10;
        if (!Modes.Contains(modeText))
        {
            yaml.Error(map.Get("mode")!, $"unknown mode '{modeText}'; expected one of: {string.Join(", ", Modes)}", KeyHints.DidYouMean(modeText, Modes));
            return null;
        }
        if (max < 1 || max != Math.Floor(max))
        {
            yaml.Error(map.Get("max")!, $"'max: {max}' must be a whole number of runs ≥ 1");
            return null;
        }
        var mode = Enum.Parse<RunMode>(modeText, ignoreCase: true);
        return whenNode is null || thenNode is null ? null : new EdgeRuleBody(when, conditions, then, mode, (int)max);
    }

    private static LevelRuleBody? LevelBody(YamlMap map, string ruleId, YamlFile yaml)
    {
        var whileNode = map.Get("while");
        if (whileNode is null) yaml.Error(map.Node, $"level rule '{ruleId}' has no 'while:'", "a level rule needs a condition, e.g. while: { signal: solar_power, below: 2000 }");
        var condition = whileNode is null ? null : ConditionParser.ParseOne(whileNode, ruleId, yaml);
        var until = map.Get("until") is { } untilNode ? ConditionParser.ParseOne(untilNode, ruleId, yaml) : null;
        var (on, off) = Hold(map, yaml);
        var (amps, computed) = Limit(map, ruleId, yaml);
        return condition is null || amps is null ? null : new LevelRuleBody(condition, until, on, off, amps.Value, computed);
    }

    /// <summary><c>for: 2m</c> (both edges) or <c>for: { on: 2m, off: 5m }</c>.</summary>
    private static (TimeSpan On, TimeSpan Off) Hold(YamlMap map, YamlFile yaml)
    {
        switch (map.Get("for"))
        {
            case null:
                return (TimeSpan.Zero, TimeSpan.Zero);
            case YamlMappingNode mapping:
                var hold = new YamlMap(mapping, yaml);
                hold.RejectUnknown(["on", "off"], "'for:' of a level rule");
                return (hold.Duration("on") ?? TimeSpan.Zero, hold.Duration("off") ?? TimeSpan.Zero);
            default:
                var both = map.Duration("for") ?? TimeSpan.Zero;
                return (both, both);
        }
    }

    /// <summary>
    /// <c>limit:</c> amperes, <c>pause</c>, or an expression over signals and <c>wallbox.*</c> values (a computed
    /// limit; its Amps is 0 until it is first computed). A wrong expression or name is reported at its character.
    /// </summary>
    private static (double? Amps, ComputedLimit? Computed) Limit(YamlMap map, string ruleId, YamlFile yaml)
    {
        var text = map.Text("limit", required: true, expected: "amperes (e.g. 10), pause, or an expression such as \"(surplus - 500) / 230 / wallbox.phases\"");
        if (text is null) return (null, null);
        if (text == "pause") return (0, null);
        var node = map.Get("limit")!;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var amps))
        {
            if (amps >= 0 && double.IsFinite(amps)) return (amps, null);
            yaml.Error(node, $"'limit: {text}' of rule '{ruleId}' is not a current", "expected amperes as a number ≥ 0, pause, or an expression");
            return (null, null);
        }
        SignalExpression expression;
        try { expression = SignalExpression.Parse(text); }
        catch (SignalExpressionException e)
        {
            var at = CharacterAt(node, e.Position, yaml);
            yaml.Error(at.Line, at.Column, $"'limit:' of rule '{ruleId}': {e.Message} at character {e.Position + 1} of '{text}'",
                "expected amperes (e.g. 10), pause, or an expression of signal names, wallbox.* values, numbers, + - * /, parentheses, min(…) and max(…)");
            return (null, null);
        }
        var signals = new List<(string, SourceLocation)>();
        var ok = true;
        foreach (var name in expression.Names)
        {
            var at = CharacterAt(node, text.IndexOf(name, StringComparison.Ordinal), yaml);
            if (!name.Contains('.')) { signals.Add((name, at)); continue; }
            if (LimitInputs.WallboxNames.Contains(name)) continue;
            ok = false;
            yaml.Error(at.Line, at.Column, $"'limit:' of rule '{ruleId}' reads '{name}', which is not a value a limit can read; expected a signal name or one of: {string.Join(", ", LimitInputs.WallboxNames)}",
                KeyHints.DidYouMean(name, LimitInputs.WallboxNames));
        }
        return ok ? (0, new ComputedLimit(expression, yaml.At(node), signals)) : (null, null);
    }

    /// <summary>Where character <paramref name="index"/> of a one-line scalar stands in the file (quotes counted); else the node.</summary>
    private static SourceLocation CharacterAt(YamlNode node, int index, YamlFile yaml)
    {
        var at = yaml.At(node);
        if (node is not YamlScalarNode scalar || index < 0 || scalar.Start.Line != scalar.End.Line) return at;
        var quoted = scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted ? 1 : 0;
        return at with { Column = at.Column + quoted + index };
    }
}

using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Yaml;
using YamlDotNet.RepresentationModel;

namespace BmwWallbox.Rules.Engine.Loading;

/// <summary>YAML → condition model. A list means "all of them".</summary>
internal static class ConditionParser
{
    public static readonly string[] Kinds = ["signal", "wallbox", "after", "before", "weekdays", "and", "or", "not", "js"];

    /// <summary>A single condition, or a list combined with "and".</summary>
    public static ConditionDefinition? ParseOne(YamlNode node, string ruleId, YamlFile yaml)
    {
        if (node is not YamlSequenceNode) return Parse(node, ruleId, yaml);
        var items = ParseList(node, ruleId, yaml);
        return items.Count == 1 ? items[0] : new AllCondition(items, yaml.At(node));
    }

    public static IReadOnlyList<ConditionDefinition> ParseList(YamlNode node, string ruleId, YamlFile yaml)
    {
        var items = node is YamlSequenceNode seq ? seq.Children.ToList() : [node];
        return items.Select(i => Parse(i, ruleId, yaml)).OfType<ConditionDefinition>().ToList();
    }

    private static ConditionDefinition? Parse(YamlNode node, string ruleId, YamlFile yaml)
    {
        var at = yaml.At(node);
        if (node is not YamlMappingNode mapping)
        {
            yaml.Error(node, "expected a condition, e.g. '- signal: solar_power' with 'below: 2000', or '- js: \"...\"'");
            return null;
        }
        var map = new YamlMap(mapping, yaml);
        var kinds = Kinds.Where(map.Has).ToList();
        var isTime = kinds.Count > 0 && kinds.All(k => k is "after" or "before" or "weekdays");
        if (kinds.Count == 0 || (kinds.Count > 1 && !isTime))
        {
            var first = map.Keys.FirstOrDefault() ?? "";
            yaml.Error(node, kinds.Count == 0
                ? $"unknown condition; a condition starts with one of: {string.Join(", ", Kinds)}"
                : $"a condition has one kind, found {string.Join(" and ", kinds)}; combine them with 'and:' or a list",
                kinds.Count == 0 ? KeyHints.DidYouMean(first, Kinds) : null);
            return null;
        }
        if (isTime) return Time(map, at, yaml);
        return kinds[0] switch
        {
            "signal" => Signal(map, at, yaml),
            "wallbox" => Wallbox(map, at, yaml),
            "and" or "or" => Group(map, kinds[0], ruleId, at, yaml),
            "not" => Not(map, ruleId, at, yaml),
            _ => Script(map, ruleId, at, yaml),
        };
    }

    private static ConditionDefinition? Signal(YamlMap map, SourceLocation at, YamlFile yaml)
    {
        map.RejectUnknown(["signal", "above", "below", "available"], "a signal condition");
        var name = map.Text("signal", required: true, expected: "a signal name");
        var above = map.Number("above");
        var below = map.Number("below");
        var available = map.Bool("available");
        if (above is null && below is null && available is null)
        {
            yaml.Error(map.Node, $"signal condition on '{name}' tests nothing", "add above:, below: or available:");
            return null;
        }
        return name is null ? null : new SignalCondition(name, above, below, available, at);
    }

    private static ConditionDefinition? Wallbox(YamlMap map, SourceLocation at, YamlFile yaml)
    {
        map.RejectUnknown(["wallbox", "is", "above", "below"], "a wallbox condition");
        var name = map.Text("wallbox", required: true, expected: "a wallbox field");
        if (name is null) return null;
        if (!WallboxFields.ByName.TryGetValue(name, out var field))
        {
            yaml.Error(map.Get("wallbox")!, $"unknown wallbox field '{name}'; expected one of: {string.Join(", ", WallboxFields.ByName.Keys)}",
                KeyHints.DidYouMean(name, WallboxFields.ByName.Keys));
            return null;
        }
        var numeric = WallboxFields.IsNumeric(field);
        if (numeric && map.Has("is") || !numeric && (map.Has("above") || map.Has("below")))
        {
            yaml.Error(map.Node, numeric ? $"wallbox {name} is a number: test it with above:/below:" : $"wallbox {name} is a state: test it with is:");
            return null;
        }
        if (numeric)
        {
            var above = map.Number("above");
            var below = map.Number("below");
            if (above is null && below is null) yaml.Error(map.Node, $"wallbox condition on {name} tests nothing", "add above: or below:");
            return new WallboxCondition(field, null, above, below, at);
        }
        var values = IsValues(map, field, yaml);
        if (values is null) yaml.Error(map.Node, $"wallbox condition on {name} tests nothing", "add is: VALUE or is: [A, B]");
        return values is null ? null : new WallboxCondition(field, values, null, null, at);
    }

    private static IReadOnlyList<string>? IsValues(YamlMap map, WallboxField field, YamlFile yaml)
    {
        if (map.Get("is") is not YamlSequenceNode list) return TriggerParser.WallboxValue(map, "is", field, yaml) is { } one ? [one] : null;
        var values = new List<string>();
        foreach (var item in list)
        {
            var single = new YamlMappingNode { { "is", item } };
            if (TriggerParser.WallboxValue(new YamlMap(single, yaml), "is", field, yaml) is { } v) values.Add(v);
        }
        return values;
    }

    private static ConditionDefinition? Time(YamlMap map, SourceLocation at, YamlFile yaml)
    {
        map.RejectUnknown(["after", "before", "weekdays"], "a time condition");
        var after = ClockTime(map, "after", yaml);
        var before = ClockTime(map, "before", yaml);
        HashSet<DayOfWeek>? days = null;
        if (map.Get("weekdays") is { } node)
        {
            days = [];
            var items = node is YamlSequenceNode seq ? seq.Children.ToList() : [node];
            foreach (var item in items)
            {
                var text = (item as YamlScalarNode)?.Value ?? "";
                if (!ClockTimes.TryAddWeekdays(text, days)) yaml.Error(item, $"invalid weekday '{text}'", $"expected {ClockTimes.ExpectedWeekday}");
            }
        }
        return new TimeWindowCondition(after, before, days, at);
    }

    private static TimeOnly? ClockTime(YamlMap map, string key, YamlFile yaml)
    {
        if (map.Text(key, expected: ClockTimes.ExpectedTime) is not { } text) return null;
        if (ClockTimes.TryParseTime(text, out var time)) return time;
        yaml.Error(map.Get(key)!, $"'{key}: {text}' is not a time of day", $"expected {ClockTimes.ExpectedTime}");
        return null;
    }

    private static ConditionDefinition? Group(YamlMap map, string kind, string ruleId, SourceLocation at, YamlFile yaml)
    {
        map.RejectUnknown([kind], $"an '{kind}' condition");
        var node = map.Get(kind)!;
        if (node is not YamlSequenceNode { Children.Count: > 0 })
        {
            yaml.Error(node, $"'{kind}:' takes a list of conditions");
            return null;
        }
        var items = ParseList(node, ruleId, yaml);
        return kind == "and" ? new AllCondition(items, at) : new AnyCondition(items, at);
    }

    private static ConditionDefinition? Not(YamlMap map, string ruleId, SourceLocation at, YamlFile yaml)
    {
        map.RejectUnknown(["not"], "a 'not' condition");
        return ParseOne(map.Get("not")!, ruleId, yaml) is { } inner ? new NotCondition(inner, at) : null;
    }

    private static ConditionDefinition? Script(YamlMap map, string ruleId, SourceLocation at, YamlFile yaml)
    {
        map.RejectUnknown(["js"], "a js condition");
        if (map.Get("js") is not YamlScalarNode { Value.Length: > 0 } node)
        {
            yaml.Error(map.Node, "'js:' needs a JavaScript expression, e.g. js: \"signals.price < 0.2\"");
            return null;
        }
        return ScriptPreparer.Expression(node, ruleId, yaml) is { } script ? new ScriptCondition(script, at) : null;
    }
}

using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Yaml;
using Microsoft.Extensions.Logging;
using YamlDotNet.RepresentationModel;

namespace BmwWallbox.Rules.Engine.Loading;

/// <summary>YAML → action model. Actions without arguments may be written as a bare word (<c>- pause</c>).</summary>
internal static class ActionParser
{
    public static readonly IReadOnlyDictionary<string, ControllerVerb> Verbs = new Dictionary<string, ControllerVerb>
    {
        ["pause"] = ControllerVerb.Pause,
        ["resume"] = ControllerVerb.Resume,
        ["set_current"] = ControllerVerb.SetCurrent,
        ["release"] = ControllerVerb.Release,
        ["start"] = ControllerVerb.Start,
        ["stop"] = ControllerVerb.Stop,
        ["reboot"] = ControllerVerb.Reboot,
    };

    public static readonly string[] Kinds = [.. Verbs.Keys, "mode", "plan", "mqtt_publish", "log", "delay", "script"];

    private static readonly Dictionary<string, LogLevel> Levels = new()
    {
        ["debug"] = LogLevel.Debug, ["info"] = LogLevel.Information, ["warn"] = LogLevel.Warning, ["error"] = LogLevel.Error,
    };

    public static IReadOnlyList<ActionDefinition> ParseList(YamlNode node, string ruleId, YamlFile yaml)
    {
        var items = node is YamlSequenceNode seq ? seq.Children.ToList() : [node];
        if (items.Count == 0) yaml.Error(node, "'then:' needs at least one action");
        return items.Select(i => Parse(i, ruleId, yaml)).OfType<ActionDefinition>().ToList();
    }

    private static ActionDefinition? Parse(YamlNode node, string ruleId, YamlFile yaml)
    {
        var at = yaml.At(node);
        if (node is YamlScalarNode { Value: { } word })
        {
            if (Verbs.TryGetValue(word, out var verb) && verb != ControllerVerb.SetCurrent) return new ControllerAction(verb, null, null, false, at);
            yaml.Error(node, $"unknown action '{word}'; expected one of: {string.Join(", ", Kinds)}",
                word == "set_current" ? "set_current needs amperes: '- set_current: 10'" : KeyHints.DidYouMean(word, Kinds));
            return null;
        }
        if (node is not YamlMappingNode mapping || mapping.Children.Count != 1)
        {
            yaml.Error(node, "expected one action per list item, e.g. '- pause' or '- set_current: 10'",
                node is YamlMappingNode ? "each action goes in its own '- ' item" : null);
            return null;
        }
        var (keyNode, value) = mapping.Children.First();
        var key = (keyNode as YamlScalarNode)?.Value ?? "";
        if (Verbs.TryGetValue(key, out var v)) return Controller(v, key, value, at, yaml);
        return key switch
        {
            "plan" => Plan(value, at, yaml),
            "mode" => Mode(value, at, yaml),
            "mqtt_publish" => Publish(value, at, yaml),
            "log" => Log(value, at, yaml),
            "delay" => Delay(value, at, yaml),
            "script" => Script(value, ruleId, at, yaml),
            _ => Unknown(keyNode, key, yaml),
        };
    }

    private static ActionDefinition? Unknown(YamlNode keyNode, string key, YamlFile yaml)
    {
        yaml.Error(keyNode, $"unknown action '{key}'; expected one of: {string.Join(", ", Kinds)}", KeyHints.DidYouMean(key, Kinds));
        return null;
    }

    private static ActionDefinition? Controller(ControllerVerb verb, string key, YamlNode value, SourceLocation at, YamlFile yaml)
    {
        var isClaim = verb is ControllerVerb.Pause or ControllerVerb.SetCurrent;
        if (value is YamlScalarNode scalar && verb == ControllerVerb.SetCurrent)
            return Amps(scalar.Value, value, yaml) is { } amps ? new ControllerAction(verb, amps, null, false, at) : null;
        if (value is YamlScalarNode { Value: "" or null or "true" }) return new ControllerAction(verb, null, null, false, at);
        if (value is not YamlMappingNode mapping || !isClaim)
        {
            yaml.Error(value, isClaim ? $"'{key}:' takes options like {{ for: 2h, until_unplugged: true }}" : $"'{key}' takes no arguments; write '- {key}'");
            return null;
        }
        var map = new YamlMap(mapping, yaml);
        map.RejectUnknown(verb == ControllerVerb.SetCurrent ? ["amps", "for", "until_unplugged"] : ["for", "until_unplugged"], $"'{key}:'");
        double? ampsValue = null;
        if (verb == ControllerVerb.SetCurrent)
        {
            ampsValue = Amps(map.Text("amps", required: true, expected: "amperes"), map.Get("amps") ?? value, yaml);
            if (ampsValue is null) return null;
        }
        return new ControllerAction(verb, ampsValue, map.Duration("for"), map.Bool("until_unplugged") ?? false, at);
    }

    private static double? Amps(string? text, YamlNode node, YamlFile yaml)
    {
        if (text is null) return null;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var a) && a >= 0 && double.IsFinite(a))
            return a;
        yaml.Error(node, $"'{text}' is not a current", "expected amperes as a number ≥ 0, e.g. 10 (0 pauses)");
        return null;
    }

    private static ActionDefinition? Mode(YamlNode value, SourceLocation at, YamlFile yaml)
    {
        var text = (value as YamlScalarNode)?.Value ?? "";
        if (ChargeModeText.TryParse(text, out var mode)) return new ModeAction(mode, at);
        yaml.Error(value, $"unknown charge mode '{text}'; expected one of: {string.Join(", ", ChargeModeText.All)}", KeyHints.DidYouMean(text, ChargeModeText.All));
        return null;
    }

    private static ActionDefinition? Publish(YamlNode value, SourceLocation at, YamlFile yaml)
    {
        if (value is not YamlMappingNode mapping)
        {
            yaml.Error(value, "'mqtt_publish:' takes { topic: ..., payload: ..., retain: false }");
            return null;
        }
        var map = new YamlMap(mapping, yaml);
        map.RejectUnknown(["topic", "payload", "retain"], "'mqtt_publish:'");
        var topic = map.Text("topic", required: true, expected: "a topic without wildcards");
        var payload = map.Text("payload", expected: "text (use a script to build JSON)") ?? "";
        var retain = map.Bool("retain") ?? false;
        if (topic is null) return null;
        if (!PublishTopic.IsValid(topic))
        {
            yaml.Error(map.Get("topic")!, $"cannot publish to '{topic}'", "a topic to publish to has no '+' or '#' wildcards");
            return null;
        }
        return new PublishAction(topic, payload, retain, at);
    }

    /// <summary><c>plan: { energy_kwh: 30, by: "07:00" }</c>, <c>{ soc: 80, by: "07:00" }</c>, <c>plan: 30kWh@07:00</c> or <c>plan: clear</c>.</summary>
    private static ActionDefinition? Plan(YamlNode value, SourceLocation at, YamlFile yaml)
    {
        const string expected = "'plan:' takes { energy_kwh: 30, by: \"07:00\" }, { soc: 80, by: \"07:00\" }, 30kWh@07:00 or clear";
        if (value is YamlScalarNode { Value: { } text })
        {
            if (PlanTargetText.TryParse(text, null, out var parsed, out var error)) return new PlanAction(parsed, at);
            yaml.Error(value, error, expected);
            return null;
        }
        if (value is not YamlMappingNode mapping)
        {
            yaml.Error(value, expected);
            return null;
        }
        var map = new YamlMap(mapping, yaml);
        map.RejectUnknown(["energy_kwh", "soc", "by"], "'plan:'");
        double? Number(string key)
        {
            if (map.Text(key) is not { } t) return null;
            if (double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n)) return n;
            yaml.Error(map.Get(key)!, $"'{key}' must be a number, got '{t}'");
            return double.NaN;
        }
        var energy = Number("energy_kwh");
        var soc = Number("soc");
        var byText = map.Text("by") ?? "07:00";
        if (!PlanTargetText.TryParseTime(byText, out var by, out var timeError))
        {
            yaml.Error(map.Get("by")!, timeError);
            return null;
        }
        if (energy is double.NaN || soc is double.NaN) return null;
        var target = new PlanTarget(energy, soc, by);
        if (PlanTargetText.Check(target, out var problem)) return new PlanAction(target, at);
        yaml.Error(value, problem, expected);
        return null;
    }

    private static ActionDefinition? Log(YamlNode value, SourceLocation at, YamlFile yaml)
    {
        if (value is YamlScalarNode { Value: { } text }) return new LogAction(text, LogLevel.Information, at);
        if (value is not YamlMappingNode mapping)
        {
            yaml.Error(value, "'log:' takes a message, or { message: ..., level: info }");
            return null;
        }
        var map = new YamlMap(mapping, yaml);
        map.RejectUnknown(["message", "level"], "'log:'");
        var message = map.Text("message", required: true, expected: "the text to log");
        var levelText = map.Text("level") ?? "info";
        if (!Levels.TryGetValue(levelText, out var level))
        {
            yaml.Error(map.Get("level")!, $"unknown log level '{levelText}'; expected one of: {string.Join(", ", Levels.Keys)}", KeyHints.DidYouMean(levelText, Levels.Keys));
            return null;
        }
        return message is null ? null : new LogAction(message, level, at);
    }

    private static ActionDefinition? Delay(YamlNode value, SourceLocation at, YamlFile yaml)
    {
        var text = (value as YamlScalarNode)?.Value ?? "";
        if (Durations.TryParse(text, out var duration)) return new DelayAction(duration, at);
        yaml.Error(value, $"invalid delay '{text}'", $"expected {Durations.Expected}");
        return null;
    }

    private static ActionDefinition? Script(YamlNode value, string ruleId, SourceLocation at, YamlFile yaml)
    {
        if (value is not YamlScalarNode { Value.Length: > 0 } scalar)
        {
            yaml.Error(value, "'script:' takes JavaScript, usually as a block: 'script: |'");
            return null;
        }
        return ScriptPreparer.Body(scalar, ruleId, yaml) is { } script ? new ScriptAction(script, at) : null;
    }
}

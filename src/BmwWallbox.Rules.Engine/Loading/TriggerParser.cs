using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Yaml;
using NCrontab;
using YamlDotNet.RepresentationModel;

namespace BmwWallbox.Rules.Engine.Loading;

/// <summary>YAML → trigger model. Each trigger is a mapping named by one kind key, or the word <c>startup</c>.</summary>
internal static class TriggerParser
{
    public static readonly string[] Kinds = ["signal", "wallbox", "event", "cron", "at", "every", "mqtt", "startup"];

    public static readonly IReadOnlyDictionary<string, WallboxEventKind> Events = new Dictionary<string, WallboxEventKind>
    {
        ["connected"] = WallboxEventKind.Connected,
        ["disconnected"] = WallboxEventKind.Disconnected,
        ["boot"] = WallboxEventKind.Booted,
        ["transaction_started"] = WallboxEventKind.TransactionStarted,
        ["transaction_ended"] = WallboxEventKind.TransactionEnded,
        ["status_changed"] = WallboxEventKind.StatusChanged,
        ["charging_state_changed"] = WallboxEventKind.ChargingStateChanged,
    };

    // Cron expressions are checked for "fires at all" over a fixed span: every valid date pattern recurs within 28 years.
    private static readonly DateTime CheckFrom = new(2001, 1, 1);
    private static readonly DateTime CheckUntil = new(2060, 1, 1);

    public static IReadOnlyList<TriggerDefinition> ParseList(YamlNode node, YamlFile yaml)
    {
        var items = node is YamlSequenceNode seq ? seq.Children.ToList() : [node];
        if (items.Count == 0) yaml.Error(node, "'when:' needs at least one trigger");
        return items.Select(i => Parse(i, yaml)).OfType<TriggerDefinition>().ToList();
    }

    private static TriggerDefinition? Parse(YamlNode node, YamlFile yaml)
    {
        var at = yaml.At(node);
        if (node is YamlScalarNode { Value: "startup" }) return new StartupTrigger(at);
        if (node is not YamlMappingNode mapping)
        {
            var text = (node as YamlScalarNode)?.Value ?? "";
            yaml.Error(node, $"expected a trigger, e.g. '- signal: solar_power' or '- at: \"17:00\"', not '{text}'", KeyHints.DidYouMean(text, Kinds));
            return null;
        }
        var map = new YamlMap(mapping, yaml);
        var kinds = Kinds.Where(map.Has).ToList();
        if (kinds.Count != 1)
        {
            var first = map.Keys.FirstOrDefault() ?? "";
            yaml.Error(node, kinds.Count == 0
                ? $"unknown trigger; a trigger starts with one of: {string.Join(", ", Kinds)}"
                : $"a trigger has exactly one kind, found {string.Join(" and ", kinds)}; write them as separate list items",
                kinds.Count == 0 ? KeyHints.DidYouMean(first, Kinds) : null);
            return null;
        }
        return kinds[0] switch
        {
            "signal" => Signal(map, at, yaml),
            "wallbox" => Wallbox(map, at, yaml),
            "event" => Event(map, at, yaml),
            "cron" => Cron(map, at, yaml),
            "at" => At(map, at, yaml),
            "every" => Every(map, at, yaml),
            "mqtt" => Mqtt(map, at, yaml),
            _ => Startup(map, at),
        };
    }

    private static TriggerDefinition? Signal(YamlMap map, SourceLocation at, YamlFile yaml)
    {
        var name = map.Text("signal", required: true, expected: "a signal name");
        map.RejectUnknown(["signal", "above", "below", "from", "to", "for"], "a signal trigger");
        var forTime = map.Duration("for") ?? TimeSpan.Zero;
        var threshold = map.Has("above") || map.Has("below");
        if (threshold && (map.Has("from") || map.Has("to")))
        {
            yaml.Error(map.Node, "a signal trigger has above:/below: (crossing a threshold) or from:/to: (a change), not both");
            return null;
        }
        if (threshold)
        {
            var above = map.Number("above");
            var below = map.Number("below");
            if (above is { } a && below is { } b && a >= b)
                yaml.Error(map.Node, $"'above: {a}' and 'below: {b}' leave no value in between", "with both, the trigger fires when the value enters above < value < below");
            return name is null ? null : new SignalThresholdTrigger(name, above, below, forTime, at);
        }
        var from = map.Text("from", expected: "a value, 'available' or 'unavailable'");
        var to = map.Text("to", expected: "a value, 'available' or 'unavailable'");
        return name is null ? null : new SignalChangeTrigger(name, Matcher(from), Matcher(to), forTime, at);
    }

    private static TriggerDefinition? Wallbox(YamlMap map, SourceLocation at, YamlFile yaml)
    {
        map.RejectUnknown(["wallbox", "from", "to", "for"], "a wallbox state trigger");
        var field = map.Text("wallbox", required: true, expected: $"one of {string.Join(", ", WallboxFields.TriggerFields)}");
        if (field is null) return null;
        if (!WallboxFields.TriggerFields.Contains(field))
        {
            yaml.Error(map.Get("wallbox")!, $"a wallbox trigger watches one of: {string.Join(", ", WallboxFields.TriggerFields)}, not '{field}'",
                KeyHints.DidYouMean(field, WallboxFields.TriggerFields) ?? "numbers like power are tested in if:/while: conditions");
            return null;
        }
        var kind = WallboxFields.ByName[field];
        var from = WallboxValue(map, "from", kind, yaml);
        var to = WallboxValue(map, "to", kind, yaml);
        return new WallboxStateTrigger(kind, Matcher(from), Matcher(to), map.Duration("for") ?? TimeSpan.Zero, at);
    }

    /// <summary>Reads a from:/to:/is: value of a wallbox field and checks it is one the field can take.</summary>
    public static string? WallboxValue(YamlMap map, string key, WallboxField field, YamlFile yaml)
    {
        var text = map.Text(key);
        if (text is null || WallboxFields.AllowedValues(field) is not { } allowed) return text;
        var match = allowed.FirstOrDefault(a => a.Equals(text, StringComparison.OrdinalIgnoreCase));
        if (match is not null) return match;
        yaml.Error(map.Get(key)!, $"'{text}' is not a value of wallbox {WallboxFields.Name(field)}; expected one of: {string.Join(", ", allowed)}",
            KeyHints.DidYouMean(text, allowed));
        return null;
    }

    private static TriggerDefinition? Event(YamlMap map, SourceLocation at, YamlFile yaml)
    {
        map.RejectUnknown(["event"], "an event trigger");
        var name = map.Text("event", required: true, expected: "an event name");
        if (name is null) return null;
        if (Events.TryGetValue(name, out var kind)) return new WallboxEventTrigger(kind, name, at);
        yaml.Error(map.Get("event")!, $"unknown wallbox event '{name}'; expected one of: {string.Join(", ", Events.Keys)}",
            KeyHints.DidYouMean(name, Events.Keys));
        return null;
    }

    private static TriggerDefinition? Cron(YamlMap map, SourceLocation at, YamlFile yaml)
    {
        map.RejectUnknown(["cron", "time_zone"], "a cron trigger");
        var text = map.Text("cron", required: true, expected: "a cron expression like \"0 17 * * 1-5\"");
        var zone = TimeZone(map, yaml);
        if (text is null) return null;
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var node = map.Get("cron")!;
        if (fields is not (5 or 6))
        {
            yaml.Error(node, $"cron '{text}' has {fields} fields", "expected 5 (minute hour day month weekday) or 6 (with seconds first)");
            return null;
        }
        try
        {
            var schedule = CrontabSchedule.Parse(text, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 });
            if (schedule.GetNextOccurrence(CheckFrom, CheckUntil) >= CheckUntil)
            {
                yaml.Error(node, $"cron '{text}' never fires", "check the day of month against the month (e.g. 30 2 = 30 February)");
                return null;
            }
            return new ScheduleTrigger($"cron {text}", schedule, zone, at);
        }
        catch (CrontabException e)
        {
            yaml.Error(node, $"invalid cron '{text}': {e.Message}", "expected minute hour day month weekday, e.g. \"0 17 * * 1-5\"");
            return null;
        }
    }

    private static TriggerDefinition? At(YamlMap map, SourceLocation at, YamlFile yaml)
    {
        map.RejectUnknown(["at", "time_zone"], "an at trigger");
        var text = map.Text("at", required: true, expected: ClockTimes.ExpectedTime);
        var zone = TimeZone(map, yaml);
        if (text is null) return null;
        if (!ClockTimes.TryParseTime(text, out var time))
        {
            yaml.Error(map.Get("at")!, $"invalid time '{text}'", $"expected {ClockTimes.ExpectedTime}");
            return null;
        }
        var schedule = CrontabSchedule.Parse($"{time.Second} {time.Minute} {time.Hour} * * *", new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        return new ScheduleTrigger($"at {text}", schedule, zone, at);
    }

    private static TriggerDefinition? Every(YamlMap map, SourceLocation at, YamlFile yaml)
    {
        map.RejectUnknown(["every"], "an every trigger");
        if (map.Duration("every") is not { } every) return null;
        if (every >= TimeSpan.FromSeconds(1)) return new IntervalTrigger(every, at);
        yaml.Error(map.Get("every")!, $"'every: {Durations.Format(every)}' is too often", "expected 1s or more");
        return null;
    }

    private static TriggerDefinition? Mqtt(YamlMap map, SourceLocation at, YamlFile yaml)
    {
        map.RejectUnknown(["mqtt", "payload"], "an mqtt trigger");
        var topic = map.Text("mqtt", required: true, expected: "a topic filter like home/price or home/+/power");
        var payload = map.Text("payload");
        if (topic is null) return null;
        if (TopicFilter.IsValid(topic)) return new MqttTrigger(topic, payload, at);
        yaml.Error(map.Get("mqtt")!, $"invalid MQTT topic filter '{topic}'", "'+' and '#' must be whole levels, '#' only last");
        return null;
    }

    private static TriggerDefinition Startup(YamlMap map, SourceLocation at)
    {
        map.RejectUnknown(["startup"], "a startup trigger");
        return new StartupTrigger(at);
    }

    private static TimeZoneInfo? TimeZone(YamlMap map, YamlFile yaml)
    {
        if (map.Text("time_zone", expected: "a time zone id like Europe/Berlin") is not { } id) return null;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            yaml.Error(map.Get("time_zone")!, $"unknown time zone '{id}'", "expected an IANA id like Europe/Berlin");
            return null;
        }
    }

    private static StateMatcher? Matcher(string? text) => text is null ? null : new StateMatcher(text);
}

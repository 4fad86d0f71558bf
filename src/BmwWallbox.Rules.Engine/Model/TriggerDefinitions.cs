using BmwWallbox.Core;
using NCrontab;

namespace BmwWallbox.Rules.Engine.Model;

/// <summary>What can fire an edge rule.</summary>
internal abstract record TriggerDefinition(SourceLocation Location)
{
    /// <summary>Short human text for traces, e.g. "solar_power above 2000 for 2m".</summary>
    public abstract string Describe();
}

/// <summary>Fires when the signal crosses into the band (above / below / both), after holding <c>For</c>.</summary>
internal sealed record SignalThresholdTrigger(string Signal, double? Above, double? Below, TimeSpan For, SourceLocation Location)
    : TriggerDefinition(Location)
{
    public bool InBand(double value) => Band.Contains(value, Above, Below);

    public override string Describe() => $"{Signal}{Band.Describe(Above, Below)}{Durations.ForSuffix(For)}";
}

/// <summary>Fires when a signal's value (or availability) changes, optionally only from/to given states.</summary>
internal sealed record SignalChangeTrigger(string Signal, StateMatcher? From, StateMatcher? To, TimeSpan For, SourceLocation Location)
    : TriggerDefinition(Location)
{
    public override string Describe() => $"{Signal} changed{From?.Describe(" from")}{To?.Describe(" to")}{Durations.ForSuffix(For)}";
}

/// <summary>Fires when a wallbox state field changes, optionally only from/to given states.</summary>
internal sealed record WallboxStateTrigger(WallboxField Field, StateMatcher? From, StateMatcher? To, TimeSpan For, SourceLocation Location)
    : TriggerDefinition(Location)
{
    public override string Describe() =>
        $"wallbox {WallboxFields.Name(Field)} changed{From?.Describe(" from")}{To?.Describe(" to")}{Durations.ForSuffix(For)}";
}

internal sealed record WallboxEventTrigger(WallboxEventKind Kind, string Name, SourceLocation Location) : TriggerDefinition(Location)
{
    public override string Describe() => $"wallbox event {Name}";
}

/// <summary><c>cron:</c> and <c>at:</c> (an at is a daily cron). Evaluated in wall-clock time of the zone.</summary>
internal sealed record ScheduleTrigger(string Text, CrontabSchedule Schedule, TimeZoneInfo? TimeZone, SourceLocation Location)
    : TriggerDefinition(Location)
{
    public override string Describe() => Text;
}

internal sealed record IntervalTrigger(TimeSpan Every, SourceLocation Location) : TriggerDefinition(Location)
{
    public override string Describe() => $"every {Durations.Format(Every)}";
}

internal sealed record MqttTrigger(string Topic, string? Payload, SourceLocation Location) : TriggerDefinition(Location)
{
    public override string Describe() => $"mqtt {Topic}{(Payload is null ? "" : $" = {Payload}")}";
}

internal sealed record StartupTrigger(SourceLocation Location) : TriggerDefinition(Location)
{
    public override string Describe() => "startup";
}

/// <summary>
/// A from:/to: value. Matches a state text: "unavailable", a number, or a name (case-insensitive);
/// "available" matches every state except "unavailable".
/// </summary>
internal sealed record StateMatcher(string Text)
{
    public const string Unavailable = "unavailable";
    public const string Available = "available";

    public bool Matches(string state)
    {
        if (Text.Equals(Available, StringComparison.OrdinalIgnoreCase)) return !state.Equals(Unavailable, StringComparison.Ordinal);
        if (double.TryParse(Text, System.Globalization.CultureInfo.InvariantCulture, out var wanted)
            && double.TryParse(state, System.Globalization.CultureInfo.InvariantCulture, out var actual))
            return wanted == actual;
        return Text.Equals(state, StringComparison.OrdinalIgnoreCase);
    }

    public string Describe(string prefix) => $"{prefix} {Text}";
}

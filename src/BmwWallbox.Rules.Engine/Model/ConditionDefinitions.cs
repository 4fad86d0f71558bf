
namespace BmwWallbox.Rules.Engine.Model;

/// <summary>A test that is true, false or — when it reads unavailable data — unavailable.</summary>
internal abstract record ConditionDefinition(SourceLocation Location);

/// <summary>Numeric test on a signal (above / below, both = inside the band), or an availability test.</summary>
internal sealed record SignalCondition(string Signal, double? Above, double? Below, bool? Available, SourceLocation Location)
    : ConditionDefinition(Location);

/// <summary>Test on a wallbox field: <c>is:</c> one of some values, or numeric above / below.</summary>
internal sealed record WallboxCondition(WallboxField Field, IReadOnlyList<string>? Is, double? Above, double? Below, SourceLocation Location)
    : ConditionDefinition(Location);

/// <summary>
/// Local time window. <c>after: 22:00, before: 06:00</c> spans midnight; weekdays test the current local day.
/// </summary>
internal sealed record TimeWindowCondition(TimeOnly? After, TimeOnly? Before, IReadOnlySet<DayOfWeek>? Weekdays, SourceLocation Location)
    : ConditionDefinition(Location);

internal sealed record AllCondition(IReadOnlyList<ConditionDefinition> Items, SourceLocation Location) : ConditionDefinition(Location);

internal sealed record AnyCondition(IReadOnlyList<ConditionDefinition> Items, SourceLocation Location) : ConditionDefinition(Location);

internal sealed record NotCondition(ConditionDefinition Inner, SourceLocation Location) : ConditionDefinition(Location);

/// <summary>A JavaScript expression; truthy = true. Reading an unavailable signal makes it unavailable.</summary>
internal sealed record ScriptCondition(ScriptSnippet Script, SourceLocation Location) : ConditionDefinition(Location);

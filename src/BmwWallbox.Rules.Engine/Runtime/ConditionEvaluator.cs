using System.Globalization;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Rules.Engine.Scripting;
using BmwWallbox.Rules.Engine.Tracing;
using BmwWallbox.Rules.Engine.Triggers;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Engine.Runtime;

/// <summary>
/// Evaluates conditions to true / false / unavailable, writing each one and what it saw into the trace.
/// All conditions of a list are evaluated (no short cut) so the trace explains the whole decision.
/// </summary>
internal sealed class ConditionEvaluator(RuleScope scope, ScriptSandbox sandbox)
{
    public Truth All(IReadOnlyList<ConditionDefinition> conditions, TraceBuilder trace, TriggerFired trigger) =>
        TruthExtensions.All(conditions.Select(c => Evaluate(c, 0, trace, trigger)).ToList());

    public Truth Evaluate(ConditionDefinition condition, int depth, TraceBuilder trace, TriggerFired trigger)
    {
        switch (condition)
        {
            case AllCondition all:
                return Group("and", all.Items, TruthExtensions.All, depth, trace, trigger);
            case AnyCondition any:
                return Group("or", any.Items, TruthExtensions.Any, depth, trace, trigger);
            case NotCondition not:
                var slot = trace.Reserve(depth, "not");
                var inverse = Evaluate(not.Inner, depth + 1, trace, trigger).Not();
                trace.Complete(slot, inverse, "the inverse of the condition below");
                return inverse;
            case SignalCondition c:
                return Signal(c, depth, trace);
            case WallboxCondition c:
                return Wallbox(c, depth, trace);
            case TimeWindowCondition c:
                return Time(c, depth, trace);
            case ScriptCondition c:
                return Script(c, depth, trace, trigger);
            default:
                throw new InvalidOperationException($"unknown condition {condition.GetType().Name}");
        }
    }

    private Truth Group(string name, IReadOnlyList<ConditionDefinition> items, Func<IEnumerable<Truth>, Truth> combine, int depth, TraceBuilder trace, TriggerFired trigger)
    {
        var slot = trace.Reserve(depth, name);
        var result = combine(items.Select(i => Evaluate(i, depth + 1, trace, trigger)).ToList());
        trace.Complete(slot, result, $"{name} of the {items.Count} conditions below");
        return result;
    }

    private Truth Signal(SignalCondition c, int depth, TraceBuilder trace)
    {
        var reading = scope.Signals.Get(c.Signal);
        var text = $"signal {c.Signal}{Band.Describe(c.Above, c.Below)}{(c.Available is { } a ? $" {(a ? "available" : "unavailable")}" : "")}";
        var saw = Saw(reading);
        var checks = new List<Truth>();
        if (c.Available is { } wanted) checks.Add(TruthExtensions.Of(reading.Available == wanted));
        if (c.Above is not null || c.Below is not null)
            checks.Add(reading.Available ? TruthExtensions.Of(Band.Contains(reading.Value!.Value, c.Above, c.Below)) : Truth.Unavailable);
        var result = TruthExtensions.All(checks);
        trace.Condition(depth, text, result, saw);
        return result;
    }

    private Truth Wallbox(WallboxCondition c, int depth, TraceBuilder trace)
    {
        var reading = scope.Read(c.Field);
        var name = WallboxFields.Name(c.Field);
        Truth result;
        string text;
        if (c.Is is { } values)
        {
            text = $"wallbox {name} is {string.Join(" or ", values)}";
            result = reading.Available ? TruthExtensions.Of(values.Any(v => v.Equals(reading.Text, StringComparison.OrdinalIgnoreCase))) : Truth.Unavailable;
        }
        else
        {
            text = $"wallbox {name}{Band.Describe(c.Above, c.Below)}";
            result = reading.Number is { } n ? TruthExtensions.Of(Band.Contains(n, c.Above, c.Below)) : Truth.Unavailable;
        }
        trace.Condition(depth, text, result, scope.Controller is null ? "no station" : reading.Display);
        return result;
    }

    private Truth Time(TimeWindowCondition c, int depth, TraceBuilder trace)
    {
        var local = scope.LocalNow;
        var now = TimeOnly.FromDateTime(local.DateTime);
        var inWindow = (c.After, c.Before) switch
        {
            ({ } after, { } before) when after <= before => now >= after && now < before,
            ({ } after, { } before) => now >= after || now < before, // spans midnight
            ({ } after, null) => now >= after,
            (null, { } before) => now < before,
            _ => true,
        };
        var onDay = c.Weekdays is null || c.Weekdays.Contains(local.DayOfWeek);
        var text = "time" + (c.After is { } a ? $" after {a:HH\\:mm\\:ss}" : "") + (c.Before is { } b ? $" before {b:HH\\:mm\\:ss}" : "")
            + (c.Weekdays is { } days ? $" on {string.Join(",", days.Order().Select(d => d.ToString()[..3]))}" : "");
        var result = TruthExtensions.Of(inWindow && onDay);
        trace.Condition(depth, text, result, $"{local:ddd HH:mm:ss} {scope.TimeZone.Id}");
        return result;
    }

    private Truth Script(ScriptCondition c, int depth, TraceBuilder trace, TriggerFired trigger)
    {
        var text = $"js: {c.Script.Code.Trim()}";
        try
        {
            var result = sandbox.Evaluate(c.Script, new ScriptRun(trace, trigger, allowActions: false, CancellationToken.None), out var saw);
            trace.Condition(depth, text, result, saw);
            return result;
        }
        catch (ScriptFailedException e)
        {
            scope.Logger.LogWarning("Rule {Rule}: condition failed: {Error}", scope.Id, e.Message);
            trace.ConditionError(depth, text, e.Problem);
            trace.Fail(e.Message);
            return Truth.Unavailable;
        }
    }

    private static string Saw(Core.SignalReading reading) => reading switch
    {
        { Value: null } => "unavailable (no value yet)",
        { Stale: true } => $"unavailable (stale: last {reading.Value.Value.ToString(CultureInfo.InvariantCulture)} at {reading.UpdatedAt:HH:mm:ss}Z)",
        _ => reading.Value.Value.ToString(CultureInfo.InvariantCulture),
    };
}

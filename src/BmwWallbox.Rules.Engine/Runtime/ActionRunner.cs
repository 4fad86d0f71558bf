using System.Globalization;
using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Loading;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Rules.Engine.Scripting;
using BmwWallbox.Rules.Engine.Tracing;
using BmwWallbox.Rules.Engine.Triggers;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Engine.Runtime;

/// <summary>
/// Runs an edge rule's actions in order. Controller actions use the rule id as claim source and are
/// skipped — visibly, in the trace and the log — when a signal the decision rested on (available when the
/// conditions were evaluated) has become unavailable since, e.g. during a delay.
/// An error (a failing script, a throwing controller) ends the run.
/// </summary>
internal sealed class ActionRunner(RuleScope scope, ScriptSandbox sandbox)
{
    public async Task RunAsync(IReadOnlyList<ActionDefinition> actions, IReadOnlySet<string> decidedOn, TraceBuilder trace, TriggerFired trigger, CancellationToken ct)
    {
        foreach (var action in actions)
        {
            ct.ThrowIfCancellationRequested();
            if (!await RunAsync(action, decidedOn, trace, trigger, ct)) return;
        }
    }

    private async Task<bool> RunAsync(ActionDefinition action, IReadOnlySet<string> decidedOn, TraceBuilder trace, TriggerFired trigger, CancellationToken ct)
    {
        switch (action)
        {
            case ControllerAction c:
                return await ControllerAsync(c, decidedOn, trace, ct);
            case PlanAction plan:
                Plan(plan, trace);
                return true;
            case ModeAction m:
                return await ModeAsync(m, trace, ct);
            case PublishAction p when CommandTopics.Refusal(scope.Bus.Topics, p.Topic) is { } refusal:
                scope.Logger.LogWarning("Rule {Rule}: {Refusal}", scope.Id, refusal);
                Done(trace, $"mqtt_publish {p.Topic}", "Error", refusal);
                trace.Fail(refusal);
                return false;
            case PublishAction p:
                await scope.Bus.PublishAsync(p.Topic, p.Payload, p.Retain, ct);
                Done(trace, $"mqtt_publish {p.Topic}", "Done", $"published '{p.Payload}'{(p.Retain ? ", retained" : "")}");
                return true;
            case LogAction l:
                scope.Logger.Log(l.Level, "Rule {Rule}: {Message}", scope.Id, l.Message);
                Done(trace, "log", "Done", l.Message);
                return true;
            case DelayAction d:
                await scope.Busy.DelayAsync(d.Duration, scope.Time, ct);
                Done(trace, $"delay {Durations.Format(d.Duration)}", "Done", "waited");
                return true;
            case ScriptAction s:
                try
                {
                    await sandbox.RunAsync(s.Script, new ScriptRun(trace, trigger, allowActions: true, ct));
                    Done(trace, "script", "Done", "finished");
                    return true;
                }
                catch (ScriptFailedException e)
                {
                    scope.Logger.LogWarning("Rule {Rule}: script failed: {Error}", scope.Id, e.Message);
                    Done(trace, "script", "Error", e.Problem);
                    trace.Fail(e.Message);
                    return false;
                }
            default:
                throw new InvalidOperationException($"unknown action {action.GetType().Name}");
        }
    }

    private async Task<bool> ModeAsync(ModeAction action, TraceBuilder trace, CancellationToken ct)
    {
        var what = $"mode {ChargeModeText.Of(action.Mode)}";
        if (scope.Controller is not { } controller || scope.Modes is not { } modes)
        {
            Done(trace, what, nameof(ActionOutcome.Rejected), scope.Controller is null ? "not done: no station is configured" : "not done: this run has no charge modes");
            return true;
        }
        var result = await modes.SetModeAsync(controller.StationId, action.Mode, $"rule {scope.Id}", ct);
        Done(trace, what, result.Outcome.ToString(), result.Message);
        return true;
    }

    private async Task<bool> ControllerAsync(ControllerAction action, IReadOnlySet<string> decidedOn, TraceBuilder trace, CancellationToken ct)
    {
        var what = Describe(action);
        var stale = decidedOn.Where(s => !scope.Signals.Get(s).Available).Order(StringComparer.Ordinal).ToList();
        if (stale.Count > 0)
        {
            var why = $"not done: signal {string.Join(", ", stale)} is unavailable";
            scope.Logger.LogWarning("Rule {Rule}: {Action} {Why}", scope.Id, what, why);
            Done(trace, what, "Skipped", why);
            return true;
        }
        if (scope.Controller is not { } controller)
        {
            Done(trace, what, nameof(ActionOutcome.Rejected), "not done: no station is configured");
            return true;
        }
        try
        {
            var result = await Invoke(controller, action, ct);
            Done(trace, what, result.Outcome.ToString(), result.Message);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            scope.Logger.LogWarning(e, "Rule {Rule}: {Action} failed", scope.Id, what);
            Done(trace, what, "Error", e.Message);
            trace.Fail($"{what} failed: {e.Message}");
            return false;
        }
    }

    private Task<ActionResult> Invoke(IChargeController controller, ControllerAction action, CancellationToken ct)
    {
        var id = scope.Id;
        return action.Verb switch
        {
            ControllerVerb.Pause or ControllerVerb.SetCurrent => controller.ClaimAsync(new ClaimRequest(
                id, action.Amps ?? 0, ClaimKind.Rule,
                ExpiresAt: action.For is { } f ? scope.Time.GetUtcNow() + f : null,
                EndsOnUnplug: action.UntilUnplugged,
                Reason: scope.Rule.Name), ct),
            ControllerVerb.Resume or ControllerVerb.Release => controller.ReleaseAsync(id, ct),
            ControllerVerb.Start => controller.StartAsync(id, ct),
            ControllerVerb.Stop => controller.StopAsync(id, ct),
            _ => controller.RebootAsync(id, ct),
        };
    }

    /// <summary>Sets the target of the rule's station under the rule's id; refused visibly where no planner or station is.</summary>
    private void Plan(PlanAction action, TraceBuilder trace)
    {
        var what = action.Target is { } t ? $"plan {t}" : "plan clear";
        var result = scope.Plans is not { } plans ? ActionResult.Rejected("plan", "not done: no planner runs here")
            : scope.Controller is not { } controller ? ActionResult.Rejected("plan", "not done: no station is configured")
            : plans.SetTarget(controller.StationId, action.Target, $"rule {scope.Id}");
        Done(trace, what, result.Outcome.ToString(), result.Message);
    }

    private static string Describe(ControllerAction a)
    {
        var name = ActionParser.Verbs.First(v => v.Value == a.Verb).Key;
        var amps = a.Verb == ControllerVerb.SetCurrent ? $" {a.Amps!.Value.ToString(CultureInfo.InvariantCulture)} A" : "";
        return name + amps + Durations.ForSuffix(a.For ?? TimeSpan.Zero) + (a.UntilUnplugged ? " until unplugged" : "");
    }

    private void Done(TraceBuilder trace, string what, string outcome, string message) =>
        trace.Action(what, scope.Time.GetUtcNow(), outcome, message);
}

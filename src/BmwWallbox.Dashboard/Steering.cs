using System.Text.Json;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Dashboard;

/// <summary>A refused request: its HTTP status and the one line shown to the user. Nothing was changed.</summary>
internal sealed class BadRequest(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// The dashboard's buttons as a person's actions, through the same controller verbs as the MQTT commands:
/// Manual claims under the source <see cref="Person"/> (the current) and <c>dashboard:pause</c> (the pause).
/// Input is checked before anything is asked of the controller, so bad input changes nothing.
/// </summary>
internal sealed class Steering(DashboardSources sources, ILogger logger)
{
    public const string Person = "dashboard";
    public static readonly string[] Verbs = ["current", "pause", "resume", "charge-now", "reboot", "release", "mode", "plan"];

    public async Task<ActionView> StationAsync(string station, string verb, JsonElement body, CancellationToken ct)
    {
        var controller = sources.Controllers.Find(station) ?? throw new BadRequest(404, $"Unknown station '{Short(station)}'");
        ActionResult result = verb switch
        {
            "current" => await controller.ClaimAsync(new ClaimRequest(Person, Amps(body), ClaimKind.Manual, Reason: "dashboard: set current"), ct),
            "pause" => await controller.PauseByPersonAsync(Person, "dashboard: pause", ct),
            "resume" => await controller.ResumeByPersonAsync(Person, ct),
            "charge-now" => await controller.ChargeNowByPersonAsync(Person, sources.MaxCurrent, ct),
            "reboot" => await controller.RebootAsync(Person, ct),
            "release" => await controller.ReleaseAsync(ManualSource(controller, body), ct),
            "mode" => await SetModeAsync(controller, body, ct),
            "plan" => SetPlan(controller, body),
            _ => throw new BadRequest(404, $"Unknown action '{Short(verb)}'; use {string.Join(", ", Verbs)}"),
        };
        logger.LogInformation("Dashboard: {Action} for {Station}: {Outcome} ({Message})", verb, controller.Name, result.Outcome, result.Message);
        return ActionView.From(result);
    }

    public async Task<ActionView> RuleAsync(string ruleId, JsonElement body, CancellationToken ct)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("enabled", out var enabled) || enabled.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw new BadRequest(400, "Send {\"enabled\": true} or {\"enabled\": false}");
        var result = await sources.Rules.SetEnabledAsync(ruleId, enabled.GetBoolean(), ct);
        logger.LogInformation("Dashboard: {Action} {Rule}: {Outcome} ({Message})", result.Action, Short(ruleId), result.Outcome, result.Message);
        return ActionView.From(result);
    }

    /// <summary>The mode is not a person's claim: it changes what the station's mode claims (as <c>set/mode</c> does).</summary>
    private async Task<ActionResult> SetModeAsync(IChargeController controller, JsonElement body, CancellationToken ct)
    {
        var modes = sources.Modes ?? throw new BadRequest(400, "This bmw-rules runs without charge modes");
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("mode", out var word) || word.ValueKind != JsonValueKind.String
            || !ChargeModeText.TryParse(word.GetString()!, out var mode))
            throw new BadRequest(400, $"Send the mode as {{\"mode\": \"solar\"}}: one of {string.Join(", ", ChargeModeText.All)}");
        return await modes.SetModeAsync(controller.StationId, mode, Person, ct);
    }

    /// <summary>The planner's target, in the words of <c>set/plan</c> ({"plan": "30kWh@07:00"}; an empty text clears it).</summary>
    private ActionResult SetPlan(IChargeController controller, JsonElement body)
    {
        var plans = sources.Plans ?? throw new BadRequest(400, "No planner runs here");
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("plan", out var text) || text.ValueKind != JsonValueKind.String)
            throw new BadRequest(400, $"Send the plan as {{\"plan\": \"30kWh@07:00\"}} (empty: clear it)");
        if (!PlanTargetText.TryParse(text.GetString()!, plans.TargetOf(controller.StationId), out var target, out var error))
            throw new BadRequest(400, error);
        return plans.SetTarget(controller.StationId, target, Person);
    }

    private double Amps(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("amps", out var amps) || amps.ValueKind != JsonValueKind.Number || !amps.TryGetDouble(out var value))
            throw new BadRequest(400, "Send the current as {\"amps\": 10}: a number of amperes");
        if (!PersonCurrent.Check(value, sources.MinCurrent, sources.MaxCurrent, out var error)) throw new BadRequest(400, error);
        return value;
    }

    /// <summary>Only a person's claim can be released here: rule claims belong to their rules (switch the rule off instead).</summary>
    private static string ManualSource(IChargeController controller, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.String)
            throw new BadRequest(400, "Send the claim to release as {\"source\": \"mqtt:pause\"}");
        var name = source.GetString()!;
        var claim = controller.Control.Claims.FirstOrDefault(c => c.Source == name)
            ?? throw new BadRequest(404, $"No claim '{Short(name)}' on {controller.Name}");
        if (claim.Kind != ClaimKind.Manual)
            throw new BadRequest(400, $"'{Short(name)}' is a rule's claim: switch the rule off to drop it");
        return name;
    }

    /// <summary>Outside input in messages: short, no control characters.</summary>
    public static string Short(string text)
    {
        var clean = string.Concat(text.Take(40).Select(c => char.IsControl(c) ? '?' : c));
        return text.Length > 40 ? clean + "…" : clean;
    }
}

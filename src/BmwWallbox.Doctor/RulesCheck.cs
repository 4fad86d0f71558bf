using BmwWallbox.Core;

namespace BmwWallbox.Doctor;

/// <summary>Step 7: rules the running instance loaded, refused or never fired, and signals gone stale.</summary>
internal static class RulesCheck
{
    private const int Step = DoctorSteps.Rules;

    public static IReadOnlyList<DoctorCheck> Run(DoctorInput input, RunningInstance instance)
    {
        if (instance.Status is not { } status)
            return [DoctorCheck.Info(Step, "rules", "rule activity needs a running instance", $"`bmw-rules validate --config {input.ConfigPath}` checks the rule files now")];

        var rules = status.Rules;
        var results = new List<DoctorCheck>
        {
            rules.Loaded > 0
                ? DoctorCheck.Ok(Step, "rules.loaded", $"{rules.Loaded} rule(s) loaded")
                : DoctorCheck.Info(Step, "rules.loaded", "no rules loaded: the charge mode (charging.mode) and commands (MQTT, dashboard) set the current",
                    "for limits of your own, add rule files to the rules.dir folder"),
        };
        results.AddRange(rules.Errors.Select(e => DoctorCheck.Fail(Step, "rules.error", $"{e.Place()}: {e.Message}",
            "fix the rule file; rules reload when a file changes (`bmw-rules validate` lists every problem)")));
        results.AddRange(rules.Rules.Where(r => r.LastFiredAt is null).Select(r => DoctorCheck.Info(Step, "rules.never_fired", $"rule {r.Id} has never fired",
            $"if it should have: check its trigger and conditions in its traces (MQTT <base>/rules/{r.Id}/trace)")));
        results.AddRange(status.Signals.Where(s => s.Stale).Select(s => DoctorCheck.Warn(Step, "signals.stale",
            $"signal {s.Name} is stale (last value {s.Value?.ToString() ?? "none"}{(s.UpdatedAt is { } at ? $" at {at:yyyy-MM-dd HH:mm}Z" : "")}): rules reading it do nothing",
            $"check that something still publishes to signals.{s.Name}.topic (and its stale_after)")));
        return results;
    }
}

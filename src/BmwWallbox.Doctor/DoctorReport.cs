using System.Text;
using System.Text.Json;
using BmwWallbox.Core;

namespace BmwWallbox.Doctor;

/// <summary>All check results in flowchart order; renders as text (one line each, fix under it) or JSON.</summary>
public sealed record DoctorReport(IReadOnlyList<DoctorCheck> Checks)
{
    public bool HasFailures => Checks.Any(c => c.Status == CheckStatus.Fail);

    /// <summary>0 when nothing is ✘ (warnings allowed), 1 otherwise.</summary>
    public int ExitCode => HasFailures ? 1 : 0;

    internal static string Symbol(CheckStatus status) => status switch
    {
        CheckStatus.Ok => "✔",
        CheckStatus.Warn => "⚠",
        CheckStatus.Fail => "✘",
        _ => "ℹ",
    };

    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var step in Checks.GroupBy(c => c.Step))
        {
            text.Append(step.Key).Append(". ").AppendLine(DoctorSteps.Title(step.Key));
            foreach (var check in step)
            {
                text.Append("   ").Append(Symbol(check.Status)).Append(' ').AppendLine(check.Message);
                if (check.Fix is not null) text.Append("       fix: ").AppendLine(check.Fix);
            }
        }
        var failures = Checks.Count(c => c.Status == CheckStatus.Fail);
        var warnings = Checks.Count(c => c.Status == CheckStatus.Warn);
        text.AppendLine().Append(failures == 0 && warnings == 0
            ? "✔ all good"
            : $"{failures} ✘, {warnings} ⚠{(failures > 0 ? ": fix the first ✘ first; later steps often follow from it" : "")}").AppendLine();
        return text.ToString();
    }

    private static readonly StatusJsonContext Json = new(ReadableJson.Of(StatusJsonContext.Default.Options));

    public string ToJson() => JsonSerializer.Serialize(new JsonReport(!HasFailures, ExitCode, Checks), Json.JsonReport);

    internal sealed record JsonReport(bool Ok, int ExitCode, IReadOnlyList<DoctorCheck> Checks);
}

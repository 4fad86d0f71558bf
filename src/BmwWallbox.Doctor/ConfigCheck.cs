using BmwWallbox.Core;

namespace BmwWallbox.Doctor;

/// <summary>Step 1: the config problems found by the loader, one line each.</summary>
internal static class ConfigCheck
{
    public static IReadOnlyList<DoctorCheck> Run(DoctorInput input)
    {
        if (input.ConfigProblems.Count == 0)
            return [DoctorCheck.Ok(DoctorSteps.Config, "config", $"{input.ConfigPath} loads and validates")];
        return input.ConfigProblems
            .Select(p => p.Severity == Severity.Error
                ? DoctorCheck.Fail(DoctorSteps.Config, "config", $"{p.Place()}: {p.Message}", p.Hint ?? $"edit {input.ConfigPath}; `bmw-rules validate` lists every problem")
                : DoctorCheck.Warn(DoctorSteps.Config, "config", $"{p.Place()}: {p.Message}", p.Hint))
            .ToList();
    }
}

namespace BmwWallbox.Doctor;

/// <summary>Step 1: the config problems found by the loader, one line each.</summary>
internal static class ConfigCheck
{
    public static IReadOnlyList<DoctorCheck> Run(DoctorInput input)
    {
        if (input.ConfigIssues.Count == 0)
            return [DoctorCheck.Ok(DoctorSteps.Config, "config", $"{input.ConfigPath} loads and validates")];
        return input.ConfigIssues
            .Select(i => i.IsError
                ? DoctorCheck.Fail(DoctorSteps.Config, "config", i.Message, i.Fix ?? $"edit {input.ConfigPath}; `bmw-rules validate` lists every problem")
                : DoctorCheck.Warn(DoctorSteps.Config, "config", i.Message, i.Fix))
            .ToList();
    }
}

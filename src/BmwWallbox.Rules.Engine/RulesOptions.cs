
namespace BmwWallbox.Rules.Engine;

/// <summary>The <c>rules:</c> section of config.yaml.</summary>
public sealed record RulesOptions
{
    /// <summary>Folder whose *.yaml files hold the rules (relative to config.yaml).</summary>
    public string Dir { get; init; } = "rules";
    /// <summary>How many traces are kept per rule.</summary>
    public int TraceHistory { get; init; } = 20;
    public ScriptLimits Scripts { get; init; } = new();
    /// <summary>How long the rules folder must be quiet after a change before the set is reloaded.</summary>
    public TimeSpan ReloadDebounce { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>Per-run limits of every JavaScript snippet.</summary>
public sealed record ScriptLimits
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);
    public int MaxStatements { get; init; } = 100_000;
    public long MaxMemoryBytes { get; init; } = 16 * 1024 * 1024;
    public int MaxRecursion { get; init; } = 64;
    /// <summary>Most wallbox/mqtt calls one script run may make (stops a script that loops on awaits).</summary>
    public int MaxHostCalls { get; init; } = 100;
}

using BmwWallbox.Rules.Engine.Model;

namespace BmwWallbox.Rules.Engine.Scripting;

/// <summary>
/// A script that threw, was rejected or was stopped by a sandbox limit. The message names the rule,
/// the script line and the file location.
/// </summary>
internal sealed class ScriptFailedException(string ruleId, string problem, int? scriptLine, SourceLocation? at)
    : Exception($"rule '{ruleId}'{(scriptLine is { } l ? $", script line {l}" : "")}{(at is null ? "" : $" ({at})")}: {problem}")
{
    public string Problem { get; } = problem;
    public int? ScriptLine { get; } = scriptLine;
    public SourceLocation? At { get; } = at;
}

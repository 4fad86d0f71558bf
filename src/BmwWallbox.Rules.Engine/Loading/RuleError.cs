
namespace BmwWallbox.Rules.Engine.Loading;

/// <summary>
/// A problem in a rule file: where (1-based line and column), what is wrong and what was expected,
/// and a hint such as the nearest valid key.
/// </summary>
public sealed record RuleError(string File, int Line, int Column, string Message, string? Hint = null)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}{(Hint is null ? "" : $" ({Hint})")}";
}

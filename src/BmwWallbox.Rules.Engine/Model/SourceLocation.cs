
namespace BmwWallbox.Rules.Engine.Model;

/// <summary>Where something was written: 1-based line and column in a rule file.</summary>
internal sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

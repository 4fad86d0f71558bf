namespace BmwWallbox.Rules.Configuration;

internal enum Severity { Error, Warning }

/// <summary>One finding of config or rule validation, pointing at the place in the file.</summary>
internal sealed record ConfigProblem(string File, int Line, int Column, string Message, string? Hint = null, Severity Severity = Severity.Error)
{
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        var kind = Severity == Severity.Error ? "error" : "warning";
        return Hint is null ? $"{where}: {kind}: {Message}" : $"{where}: {kind}: {Message} ({Hint})";
    }
}

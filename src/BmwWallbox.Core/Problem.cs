namespace BmwWallbox.Core;

public enum Severity { Error, Warning }

/// <summary>
/// One finding in a file the user wrote (config.yaml or a rule file): where (1-based line and column;
/// 0 = the file as a whole), what is wrong, and a hint such as the nearest valid key. The same record
/// for loading, <c>validate</c>, <c>run</c>, <c>doctor</c> and the rules runtime.
/// </summary>
public sealed record Problem(string File, int Line, int Column, string Message, string? Hint = null, Severity Severity = Severity.Error)
{
    /// <summary>file:line:column, as editors and compilers write a place; the file alone for the file as a whole.</summary>
    public string Place() => Line > 0 ? $"{File}:{Line}:{Column}" : File;

    /// <summary>
    /// The problem with its file named relative to <paramref name="folder"/> when it lies inside it
    /// (<c>rules/a.yaml</c> rather than <c>/home/me/bmw/rules/a.yaml</c>); a file elsewhere keeps its name.
    /// </summary>
    public Problem RelativeTo(string folder)
    {
        if (!Path.IsPathRooted(File)) return this;
        var relative = Path.GetRelativePath(folder, File);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? this : this with { File = relative };
    }

    /// <summary>The line <c>validate</c> and <c>run</c> print: "file:line:column: error: message (hint)".</summary>
    public override string ToString()
    {
        var kind = Severity == Severity.Error ? "error" : "warning";
        return Hint is null ? $"{Place()}: {kind}: {Message}" : $"{Place()}: {kind}: {Message} ({Hint})";
    }
}

using Acornima.Ast;
using Jint;

namespace BmwWallbox.Rules.Engine.Model;

/// <summary>
/// JavaScript from a rule file, parsed once at load. <see cref="FirstLine"/> is the file line of the
/// script's line 1, <see cref="Indent"/> its column offset, and <see cref="WrapperShift"/> the characters the
/// wrapper adds in front of line 1, so errors point into the YAML file.
/// </summary>
internal sealed record ScriptSnippet(string Code, Prepared<Script> Prepared, string File, int FirstLine, int Indent, int WrapperShift)
{
    /// <summary>File location of a 1-based script line and 0-based script column.</summary>
    public SourceLocation Map(int scriptLine, int scriptColumn)
    {
        var line = Math.Max(scriptLine, 1);
        var column = Math.Max(scriptColumn - (line == 1 ? WrapperShift : 0), 0);
        return new SourceLocation(File, FirstLine + line - 1, Indent + column + 1);
    }

    /// <summary>A 1-based script line as written, trimmed and cut to 60 characters, to show with an error; "" when out of range.</summary>
    public string LineText(int scriptLine)
    {
        var lines = Code.Split('\n');
        if (scriptLine < 1 || scriptLine > lines.Length) return "";
        var text = lines[scriptLine - 1].Trim();
        return text.Length <= 60 ? text : text[..59] + "…";
    }
}

using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Model;
using YamlDotNet.RepresentationModel;

namespace BmwWallbox.Rules.Engine.Loading;

/// <summary>One file being parsed: its name, its lines (for script columns) and the errors found so far.</summary>
internal sealed class ParseContext(string file, string text, List<Problem> errors)
{
    private readonly string[] _lines = text.Split('\n');

    public string File { get; } = file;

    public SourceLocation At(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(YamlNode node, string message, string? hint = null) =>
        errors.Add(new Problem(File, (int)node.Start.Line, (int)node.Start.Column, message, hint));

    public void Error(SourceLocation at, string message, string? hint = null) =>
        errors.Add(new Problem(at.File, at.Line, at.Column, message, hint));

    /// <summary>Leading spaces of a 1-based line, so script columns map to file columns.</summary>
    public int IndentOf(int line) =>
        line >= 1 && line <= _lines.Length ? _lines[line - 1].Length - _lines[line - 1].TrimStart(' ').Length : 0;
}

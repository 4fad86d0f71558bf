namespace BmwWallbox.Yaml;

/// <summary>
/// Where a YAML syntax error really is. YamlDotNet reports a tab used for indentation at the end of
/// the line before it (where its scanner stood); the user must be sent to the tab itself.
/// </summary>
internal static class YamlErrorPosition
{
    public static (int Line, int Column) Correct(string text, int line, int column, string message)
    {
        if (!message.Contains("tab character", StringComparison.Ordinal) || line < 1) return (line, column);
        var lines = text.Split('\n');
        for (var i = line - 1; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0) return (i + 1, tab + 1);
        }
        return (line, column);
    }
}

using BmwWallbox.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BmwWallbox.Yaml;

/// <summary>
/// One YAML file being read (config.yaml or a rule file): its node tree, and every <see cref="Problem"/>
/// found in it, each at the line and column of the node it is about. Reading never throws; what the
/// file gets wrong is reported here, so a user sees all of it at once.
/// </summary>
public sealed class YamlFile
{
    private readonly string[] _lines;
    private readonly List<Problem> _problems = [];

    private YamlFile(string path, string text, YamlNode? root, YamlSyntaxError? syntaxError)
    {
        Path = path;
        _lines = text.Split('\n');
        Root = root;
        SyntaxError = syntaxError;
    }

    public string Path { get; }

    /// <summary>The first document's root node; null when the file holds no document or is not YAML.</summary>
    public YamlNode? Root { get; }

    /// <summary>Set when the text is not YAML (then <see cref="Root"/> is null). Each kind of file words it for its reader.</summary>
    public YamlSyntaxError? SyntaxError { get; }

    /// <summary>Everything reported against this file so far, in the order found.</summary>
    public IReadOnlyList<Problem> Problems => _problems;

    public static YamlFile Parse(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var (line, column) = YamlErrorPosition.Correct(text, (int)e.Start.Line, (int)e.Start.Column, e.Message);
            return new YamlFile(path, text, null, new YamlSyntaxError(line, column, e.Message, HasPlace: true));
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this (without a position) on some unterminated flow collections.
            return new YamlFile(path, text, null, new YamlSyntaxError(0, 0, e.Message, HasPlace: false));
        }
        return new YamlFile(path, text, stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null, null);
    }

    public void Error(YamlNode? node, string message, string? hint = null) => Report(node, message, hint, Severity.Error);

    /// <summary>A problem at <paramref name="node"/>; without a node, about the file as a whole (line 0).</summary>
    public void Report(YamlNode? node, string message, string? hint, Severity severity) =>
        _problems.Add(new Problem(Path, (int)(node?.Start.Line ?? 0), (int)(node?.Start.Column ?? 0), message, hint, severity));

    /// <summary>An error at a place inside a node's text, e.g. a line of an embedded script.</summary>
    public void Error(int line, int column, string message, string? hint = null) =>
        _problems.Add(new Problem(Path, line, column, message, hint));

    /// <summary>The node at a dotted path such as "ocpp.stations[0].password", for pointing at problems found after reading.</summary>
    public YamlNode? Find(string path)
    {
        var node = Root;
        foreach (var part in path.Split('.'))
        {
            var name = part;
            int? index = null;
            var bracket = part.IndexOf('[');
            if (bracket >= 0)
            {
                name = part[..bracket];
                index = int.Parse(part[(bracket + 1)..^1]);
            }
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(name), out node)) return null;
            if (index is { } i)
            {
                if (node is not YamlSequenceNode seq || i >= seq.Children.Count) return null;
                node = seq.Children[i];
            }
        }
        return node;
    }

    /// <summary>Leading spaces of a 1-based line, so columns inside a block scalar map to file columns.</summary>
    public int IndentOf(int line) =>
        line >= 1 && line <= _lines.Length ? _lines[line - 1].Length - _lines[line - 1].TrimStart(' ').Length : 0;
}

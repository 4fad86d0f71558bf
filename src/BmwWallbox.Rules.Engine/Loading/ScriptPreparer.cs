using Acornima;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Yaml;
using Jint;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BmwWallbox.Rules.Engine.Loading;

/// <summary>
/// Parses JavaScript from a rule file once, at load. Scripts are wrapped in an async function (so
/// <c>await</c> works and their variables stay local to one run); expressions in parentheses.
/// Both wrappers keep the user's line numbers: line 1 of the script is line 1 of the wrapper.
/// </summary>
internal static class ScriptPreparer
{
    public const string BodyPrefix = "(async function () {";
    public const string ExpressionPrefix = "(";

    public static ScriptSnippet? Body(YamlScalarNode node, string ruleId, YamlFile yaml) =>
        Prepare(node, ruleId, yaml, BodyPrefix, "\n})()");

    public static ScriptSnippet? Expression(YamlScalarNode node, string ruleId, YamlFile yaml) =>
        Prepare(node, ruleId, yaml, ExpressionPrefix, "\n)");

    private static ScriptSnippet? Prepare(YamlScalarNode node, string ruleId, YamlFile yaml, string prefix, string suffix)
    {
        var code = node.Value ?? "";
        var block = node.Style is ScalarStyle.Literal or ScalarStyle.Folded;
        var firstLine = (int)node.Start.Line + (block ? 1 : 0);
        var indent = block ? yaml.IndentOf(firstLine) : (int)node.Start.Column - 1 + (node.Style is ScalarStyle.Plain ? 0 : 1);
        try
        {
            var prepared = Jint.Engine.PrepareScript(prefix + code + suffix, ruleId, strict: true);
            return new ScriptSnippet(code, prepared, yaml.Path, firstLine, indent, prefix.Length);
        }
        catch (ScriptPreparationException e) when (e.InnerException is ParseErrorException p)
        {
            var snippet = new ScriptSnippet(code, default, yaml.Path, firstLine, indent, prefix.Length);
            var at = snippet.Map(p.LineNumber, p.Column);
            yaml.Error(at.Line, at.Column, $"JavaScript syntax error: {p.Description}",
                "scripts run in strict mode; see rules/bmw-rules.d.ts for the API");
            return null;
        }
    }
}

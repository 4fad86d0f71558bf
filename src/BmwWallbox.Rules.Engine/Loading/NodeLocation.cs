using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Yaml;
using YamlDotNet.RepresentationModel;

namespace BmwWallbox.Rules.Engine.Loading;

/// <summary>Where a node of a rule file is, as the model keeps it (traces and runtime errors point there).</summary>
internal static class NodeLocation
{
    public static SourceLocation At(this YamlFile yaml, YamlNode node) => new(yaml.Path, (int)node.Start.Line, (int)node.Start.Column);
}

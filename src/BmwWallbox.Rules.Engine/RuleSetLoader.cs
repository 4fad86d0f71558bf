using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Loading;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Yaml;

namespace BmwWallbox.Rules.Engine;

/// <summary>
/// Reads every <c>*.yaml</c> under a folder into one validated rule set. <see cref="Validate"/> is what
/// <c>bmw-rules validate</c> calls; the runtime loads through the same path.
/// </summary>
public static class RuleSetLoader
{
    /// <summary>
    /// All problems in the rule files under <paramref name="dir"/>, in file order; empty when the set is valid.
    /// Signals and stations not in the given lists are errors (stations by name or id).
    /// </summary>
    public static IReadOnlyList<Problem> Validate(string dir, IEnumerable<string> knownSignals, IEnumerable<string> knownStations) =>
        Load(dir, [.. knownSignals], [.. knownStations]).Errors;

    internal static RuleSetLoad Load(string dir, IReadOnlyCollection<string> signals, IReadOnlyCollection<string> stations)
    {
        var errors = new List<Problem>();
        if (!Directory.Exists(dir))
        {
            errors.Add(new Problem(dir, 1, 1, $"rules folder '{dir}' does not exist", "set rules.dir in config.yaml"));
            return new RuleSetLoad([], errors, 0);
        }
        var files = Directory.EnumerateFiles(dir, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var rules = new List<RuleDefinition>();
        foreach (var file in files)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException e)
            {
                errors.Add(new Problem(file, 1, 1, $"cannot read rule file: {e.Message}"));
                continue;
            }
            var yaml = YamlFile.Parse(file, text);
            rules.AddRange(RuleFileParser.Parse(yaml));
            errors.AddRange(yaml.Problems);
        }
        RuleSetValidator.Check(rules, signals, stations, errors);
        return new RuleSetLoad(rules, errors, files.Count);
    }
}

/// <summary>The outcome of reading a rules folder: usable only when <see cref="Errors"/> is empty.</summary>
internal sealed record RuleSetLoad(IReadOnlyList<RuleDefinition> Rules, IReadOnlyList<Problem> Errors, int Files);

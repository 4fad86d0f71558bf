using BmwWallbox.Core;
using BmwWallbox.Rules.Engine;

namespace BmwWallbox.Rules.Configuration;

/// <summary>The rule files of a loaded config, checked against its signals and stations.</summary>
internal static class RuleValidation
{
    public static IReadOnlyList<Problem> Check(ConfigResult loaded)
    {
        var config = loaded.Config!;
        var dir = loaded.Resolve(config.Rules.Dir);
        if (!Directory.Exists(dir))
            return [new Problem(loaded.ConfigPath, 0, 0, $"rules folder '{dir}' does not exist", "create it or set rules.dir", Severity.Warning)];
        var stations = config.Ocpp.Stations.SelectMany(s => new[] { s.Name, s.Id });
        return RuleSetLoader.Validate(dir, config.Signals.Keys, stations)
            .Select(e =>
            {
                var (line, column) = At(e.File, e.Line, e.Column, e.Message);
                return new Problem(e.File, line, column, e.Message, e.Hint);
            })
            .ToList();
    }

    /// <summary>A YAML syntax error in a rule file, moved to the line that holds the mistake.</summary>
    private static (int Line, int Column) At(string file, int line, int column, string message)
    {
        if (!message.StartsWith("not valid YAML", StringComparison.Ordinal) || !File.Exists(file)) return (line, column);
        try { return YamlErrorPosition.Correct(File.ReadAllText(file), line, column, message); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return (line, column); }
    }
}

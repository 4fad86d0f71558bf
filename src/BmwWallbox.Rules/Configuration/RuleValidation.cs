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
        return RuleSetLoader.Validate(dir, config.Signals.Keys, stations);
    }
}

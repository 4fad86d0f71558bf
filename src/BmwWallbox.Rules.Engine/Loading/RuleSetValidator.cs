using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Yaml;

namespace BmwWallbox.Rules.Engine.Loading;

/// <summary>Checks across a whole rule set: unique ids, and that every signal and station a rule names exists.</summary>
internal static class RuleSetValidator
{
    public static void Check(IReadOnlyList<RuleDefinition> rules, IReadOnlyCollection<string> signals, IReadOnlyCollection<string> stations, List<Problem> errors)
    {
        var seen = new Dictionary<string, RuleDefinition>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (!seen.TryAdd(rule.Id, rule))
                Error(errors, rule.Location, $"duplicate rule id '{rule.Id}' (first defined at {seen[rule.Id].Location})", "rule ids must be unique across all rule files");

            foreach (var (signal, at) in RuleReferences.Signals(rule))
            {
                if (signals.Contains(signal)) continue;
                Error(errors, at, $"rule '{rule.Id}' uses unknown signal '{signal}'; configured signals: {List(signals)}",
                    KeyHints.DidYouMean(signal, signals) ?? "signals are configured under 'signals:' in config.yaml");
            }

            if (rule.Station is { } station && !stations.Contains(station))
                Error(errors, rule.Location, $"rule '{rule.Id}' names unknown station '{station}'; configured stations: {List(stations)}",
                    KeyHints.DidYouMean(station, stations) ?? "stations are configured under 'ocpp.stations:' in config.yaml");
            else if (rule.Station is null && stations.Count == 0 && RuleReferences.UsesWallbox(rule))
                Error(errors, rule.Location, $"rule '{rule.Id}' uses the wallbox but no station is configured", "add a station under 'ocpp.stations:' in config.yaml");
        }
    }

    private static string List(IReadOnlyCollection<string> names) => names.Count == 0 ? "(none)" : string.Join(", ", names.Order(StringComparer.Ordinal));

    private static void Error(List<Problem> errors, SourceLocation at, string message, string? hint) =>
        errors.Add(new Problem(at.File, at.Line, at.Column, message, hint));
}

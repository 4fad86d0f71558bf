using BmwWallbox.Charging.Strategies;
using BmwWallbox.Core;
using BmwWallbox.Yaml;
using YamlDotNet.RepresentationModel;

namespace BmwWallbox.Rules.Configuration;

/// <summary>
/// The checks of the charge modes and derived signals that need the whole config: the names an
/// expression reads (at their character), the stations of <c>charging.stations</c>, and a mode that
/// cannot work because the surplus signal is missing (a warning: it would otherwise do nothing silently).
/// </summary>
internal static class ChargingChecks
{
    public static void Run(AppConfig c, YamlFile yaml)
    {
        var measured = c.Signals.Where(s => !s.Value.IsDerived).Select(s => s.Key).ToList();
        var readable = measured.Append(DerivedSignals.ChargerPower).ToList();
        foreach (var (name, signal) in c.Signals)
        {
            if (signal.Expr is not { } text) continue;
            SignalExpression expression;
            try { expression = SignalExpression.Parse(text); }
            catch (SignalExpressionException) { continue; } // reported with the signal's own problems
            foreach (var input in expression.Names.Where(n => !readable.Contains(n)))
            {
                var derived = c.Signals.TryGetValue(input, out var other) && other.IsDerived;
                var near = NearestName.Find(input, readable);
                Report(yaml, $"signals.{name}.expr", text.IndexOf(input, StringComparison.Ordinal),
                    derived ? $"signals.{name}.expr reads '{input}', another derived signal" : $"signals.{name}.expr reads '{input}', which is not a signal",
                    derived ? "write its expression out here instead: a derived signal reads measured signals and charger_power"
                        : near is null ? $"configure signals.{input}, or use one of: {string.Join(", ", readable)}" : $"did you mean '{near}'?");
            }
        }

        var stations = c.Ocpp.Stations.Select(s => s.Name).ToHashSet();
        foreach (var name in c.Charging.Stations.Keys.Where(n => !stations.Contains(n)))
            Add(yaml, $"charging.stations.{name}", $"charging.stations.{name}: no station is named '{name}'",
                $"use a name of ocpp.stations: {string.Join(", ", stations)}");

        if (!c.Signals.ContainsKey(c.Charging.Surplus))
        {
            // One warning per place in the file: the stations that take charging.mode share one.
            var withoutSurplus = c.Ocpp.Stations.Where(s => s.Name.Length > 0)
                .Select(s => (s.Name, Mode: c.Charging.ModeOf(s.Name),
                    At: c.Charging.Stations.GetValueOrDefault(s.Name)?.Mode is not null ? $"charging.stations.{s.Name}.mode" : "charging.mode"))
                .Where(s => ModeOptions.NeedsSurplus(s.Mode))
                .GroupBy(s => (s.At, s.Mode));
            foreach (var group in withoutSurplus)
            {
                var names = group.Select(s => s.Name).ToList();
                Add(yaml, group.Key.At, $"{NameList.Stations(names)} {(names.Count == 1 ? "charges" : "charge")} in mode {ChargeModeText.Of(group.Key.Mode)}, "
                                        + $"but no signal '{c.Charging.Surplus}' is configured: the mode holds no claim, and the car charges as the rules (or max_current) allow",
                    $"add signals.{c.Charging.Surplus} (e.g. expr: \"-grid_power + charger_power\", see README \"Solar and tariff charging\"), or set charging.mode: now",
                    Severity.Warning);
            }
        }
    }

    private static void Add(YamlFile yaml, string path, string message, string hint, Severity severity = Severity.Error)
        => yaml.Report(yaml.Find(path), message, hint, severity);

    /// <summary>At the character of the expression where the name stands (quotes counted), else at the key.</summary>
    private static void Report(YamlFile yaml, string path, int index, string message, string hint)
    {
        var node = yaml.Find(path);
        if (node is YamlScalarNode scalar && index >= 0 && !scalar.Start.Equals(scalar.End))
        {
            var quoted = scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted ? 1 : 0;
            if (scalar.Start.Line == scalar.End.Line)
            {
                yaml.Error((int)scalar.Start.Line, (int)scalar.Start.Column + quoted + index, message, hint);
                return;
            }
        }
        yaml.Report(node, message, hint, Severity.Error);
    }
}

using BmwWallbox.Composition;
using BmwWallbox.Core;
using BmwWallbox.Rules.Configuration;

namespace BmwWallbox.Rules.Hosting;

/// <summary>config.yaml → what the core runs with: one reading for <c>run</c>, <c>demo</c> and <c>simulate</c>.</summary>
internal static class RuntimeConfig
{
    /// <summary>time_zone: an IANA name; empty = the machine's zone.</summary>
    public static TimeZoneInfo TimeZone(AppConfig c) =>
        c.TimeZone.Length > 0 ? TimeZoneInfo.FindSystemTimeZoneById(c.TimeZone) : TimeZoneInfo.Local;

    /// <summary>The history database: history.file in data_dir (an absolute history.file stays as it is).</summary>
    public static string HistoryDatabase(AppConfig c, string dataDir) => Path.Combine(dataDir, c.History.File);

    /// <param name="dataDir">data_dir, resolved: the controllers keep manual claims there.</param>
    public static WallboxRuntimeOptions Options(ConfigResult config, string dataDir)
    {
        var c = config.Config!;
        return new WallboxRuntimeOptions
        {
            Charging = new ChargingCoreOptions { Wallbox = c.Wallbox, ClaimsFolder = dataDir, Plan = c.Plan, PlanTimeZone = TimeZone(c),
                PhasesOf = name => c.Charging.PhasesOf(name, c.Wallbox) },
            Rules = c.Rules with { Dir = config.Resolve(c.Rules.Dir) },
            TimeZone = TimeZone(c),
            RuleSwitchesFile = Path.Combine(dataDir, "rule-switches.json"),
            Modes = c.Charging,
            DerivedSignals = DerivedSignals(c),
            History = new HistoryStorage(c.History, HistoryDatabase(c, dataDir)),
        };
    }

    /// <summary>signals: entries with an expr (already checked: they parse and read measured signals).</summary>
    public static IReadOnlyList<DerivedSignalDefinition> DerivedSignals(AppConfig c) =>
        c.Signals.Where(s => s.Value.Expr is not null)
            .Select(s => new DerivedSignalDefinition(s.Key, SignalExpression.Parse(s.Value.Expr!))).ToList();
}

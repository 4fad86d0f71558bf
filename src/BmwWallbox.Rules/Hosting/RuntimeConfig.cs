using BmwWallbox.Composition;
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
            Charging = new ChargingCoreOptions { Wallbox = c.Wallbox, ClaimsFolder = dataDir },
            Rules = c.Rules with { Dir = config.Resolve(c.Rules.Dir) },
            TimeZone = TimeZone(c),
            History = new HistoryStorage(c.History, HistoryDatabase(c, dataDir)),
        };
    }
}

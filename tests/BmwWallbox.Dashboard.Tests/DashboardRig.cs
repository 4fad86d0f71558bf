using BmwWallbox.Core;

namespace BmwWallbox.Dashboard.Tests;

/// <summary>The shared <see cref="DaemonHarness"/> as the dashboard tests start it: a house_power signal for the chart.</summary>
internal static class DashboardRig
{
    /// <param name="password">http.password; empty = none (loopback only).</param>
    /// <param name="ruleFiles">Rule files by name, written to rules/.</param>
    /// <param name="history">A history to show instead of the daemon's own (data_dir/history.db).</param>
    /// <param name="historyOff">history.enabled: false.</param>
    public static Task<DaemonHarness> StartAsync(string password = "", IReadOnlyDictionary<string, string>? ruleFiles = null, ISessionHistory? history = null, bool historyOff = false) =>
        DaemonHarness.StartAsync(
            historyOff ? "history: { enabled: false }" : "",
            ruleFiles,
            signalsYaml: "house_power: { topic: home/house/power }",
            httpYaml: $"password: \"{password}\"",
            history: history);
}

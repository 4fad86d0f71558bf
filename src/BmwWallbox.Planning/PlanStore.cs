using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Planning;

/// <summary>
/// Keeps the plan targets set at run time (MQTT <c>set/plan</c>, Home Assistant, the dashboard, rules, scripts) in
/// <c>&lt;data dir&gt;/plans.json</c>, so they survive a restart the way modes do (modes.json). Per station name:
/// the target, or <c>null</c> when it was cleared at run time (a cleared plan stays cleared; the config's standing
/// target is the default only for a station nothing was set for). Written atomically (temp file + rename).
/// Without a data directory it stores nothing.
/// </summary>
internal sealed class PlanStore(string? directory, ILogger logger)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly Lock _lock = new();

    public string? FilePath { get; } = directory is null ? null : Path.Combine(directory, "plans.json");

    /// <summary>The stored targets by station name (null = cleared); an unreadable file or entry is logged and ignored.</summary>
    public IReadOnlyDictionary<string, PlanTarget?> Load()
    {
        var targets = new Dictionary<string, PlanTarget?>(StringComparer.Ordinal);
        if (FilePath is null || !File.Exists(FilePath)) return targets;
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(FilePath)) as JsonObject
                       ?? throw new JsonException("the file does not hold a JSON object");
            foreach (var (station, node) in root)
            {
                if (node is null) { targets[station] = null; continue; }
                if (PlanTargetText.TryParse(node.ToJsonString(), null, out var target, out var error)) targets[station] = target;
                else logger.LogWarning("Ignoring the stored plan of station {Station} in {File}: {Error}", station, FilePath, error);
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Ignoring unreadable plans file {File}; the configured plans apply", FilePath);
        }
        return targets;
    }

    /// <summary>Writes every station set at run time (null: cleared).</summary>
    public void Save(IReadOnlyDictionary<string, PlanTarget?> targets)
    {
        if (FilePath is null) return;
        var root = new JsonObject();
        foreach (var (station, target) in targets.OrderBy(t => t.Key, StringComparer.Ordinal))
            root[station] = target is null ? null : new JsonObject
            {
                [target.SocPercent is null ? "energy_kwh" : "soc"] = target.SocPercent ?? target.EnergyKwh,
                ["by"] = target.By.ToString(target.By.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture),
            };
        try
        {
            lock (_lock)
                AtomicFile.WriteAllText(FilePath, root.ToJsonString(Json));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "Could not save the plan targets to {File}; they will not survive a restart", FilePath);
        }
    }
}

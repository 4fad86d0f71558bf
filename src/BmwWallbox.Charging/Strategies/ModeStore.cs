using System.Text.Json;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging.Strategies;

/// <summary>
/// Keeps the mode set for each station (MQTT, Home Assistant, rules) in <c>&lt;data dir&gt;/modes.json</c>,
/// so it survives a restart; a station without a stored mode has the configured one. Written atomically
/// (temp file + rename). Without a data directory it stores nothing.
/// </summary>
internal sealed class ModeStore(string? directory, ILogger logger)
{
    private readonly Lock _lock = new();

    public string? FilePath { get; } = directory is null ? null : Path.Combine(directory, "modes.json");

    /// <summary>Stored modes by station name; an unreadable file or an unknown word is logged and ignored.</summary>
    public IReadOnlyDictionary<string, ChargeMode> Load()
    {
        var modes = new Dictionary<string, ChargeMode>(StringComparer.Ordinal);
        if (FilePath is null || !File.Exists(FilePath)) return modes;
        try
        {
            var stored = JsonSerializer.Deserialize(File.ReadAllText(FilePath), StoreJson.Default.DictionaryStringString) ?? [];
            foreach (var (station, word) in stored)
            {
                if (ChargeModeText.TryParse(word, out var mode)) modes[station] = mode;
                else logger.LogWarning("Ignoring unknown mode '{Mode}' of station {Station} in {File}", word, station, FilePath);
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Ignoring unreadable modes file {File}; the configured modes apply", FilePath);
        }
        return modes;
    }

    public void Save(IReadOnlyDictionary<string, ChargeMode> modes)
    {
        if (FilePath is null) return;
        try
        {
            lock (_lock)
                AtomicFile.WriteAllText(FilePath, JsonSerializer.Serialize(modes.ToDictionary(m => m.Key, m => ChargeModeText.Of(m.Value)), StoreJson.Default.DictionaryStringString));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "Could not save the charge modes to {File}; they will not survive a restart", FilePath);
        }
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Engine;

/// <summary>
/// The rules a person switched off at run time (the dashboard), kept in <c>&lt;data dir&gt;/rule-switches.json</c>
/// so the choice survives a restart and a reload. Separate from <c>enabled:</c> in the rule file: the file
/// says what the author wants, this says what the person at the box wants now. Written atomically (temp
/// file + rename); an unreadable file is logged and ignored. Without a file path it stores nothing.
/// </summary>
internal sealed class RuleSwitches
{
    private readonly string? _file;
    private readonly HashSet<string> _off = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public RuleSwitches(string? file, ILogger logger)
    {
        _file = file;
        if (file is null || !File.Exists(file)) return;
        try
        {
            var stored = JsonSerializer.Deserialize(File.ReadAllText(file), RuleSwitchesJson.Default.Stored);
            foreach (var id in stored?.Off ?? []) _off.Add(id);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Ignoring unreadable rule switches file {File}: every rule runs as its file says", file);
        }
    }

    public bool IsOff(string ruleId)
    {
        lock (_lock) return _off.Contains(ruleId);
    }

    /// <summary>Records the switch and writes the file; false when nothing changed.</summary>
    public async Task<bool> SetAsync(string ruleId, bool on, CancellationToken ct)
    {
        string[] off;
        lock (_lock)
        {
            var changed = on ? _off.Remove(ruleId) : _off.Add(ruleId);
            if (!changed) return false;
            off = [.. _off.Order(StringComparer.Ordinal)];
        }
        if (_file is null) return true;
        await AtomicFile.WriteAllTextAsync(_file, JsonSerializer.Serialize(new Stored(1, off), RuleSwitchesJson.Default.Stored), ct);
        return true;
    }

    internal sealed record Stored(int Version, string[] Off);
}

/// <summary>rule-switches.json's JSON code, generated at build time (no reflection: Native AOT, faster start).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(RuleSwitches.Stored))]
internal sealed partial class RuleSwitchesJson : JsonSerializerContext;

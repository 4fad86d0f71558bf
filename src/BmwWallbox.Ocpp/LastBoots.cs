using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp;

/// <summary>
/// What each configured station said about itself in its last BootNotification, kept in <c>data_dir/boots.json</c>.
/// A box sends BootNotification when it boots, not when it reconnects: without this file a restart of bmw-rules
/// knew no vendor, model or firmware of a box that only reconnected (status.json, doctor, the Home Assistant
/// device) until the box next booted. Written <see cref="WriteDelay"/> after a boot (one write for a burst of
/// thousands) and when the server stops. Only a record: an unreadable file is logged and replaced.
/// </summary>
internal sealed class LastBoots : IDisposable
{
    public const string FileName = "boots.json";
    public static readonly TimeSpan WriteDelay = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, BootInfo> _boots;
    private readonly string _filePath;
    private readonly ILogger _logger;
    private readonly Lock _writing = new();
    private readonly ITimer _timer;
    private int _unsaved;

    /// <param name="stationIds">The configured stations: boots of others in the file are dropped.</param>
    public LastBoots(string filePath, IEnumerable<string> stationIds, TimeProvider time, ILogger logger)
    {
        _filePath = filePath;
        _logger = logger;
        var stored = Load();
        _boots = new(stationIds.Where(stored.ContainsKey).Select(id => KeyValuePair.Create(id, stored[id])), StringComparer.Ordinal);
        _timer = time.CreateTimer(_ => Save(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public BootInfo? Of(string stationId) => _boots.GetValueOrDefault(stationId);

    /// <summary>Called on the receive path: notes the boot and arms one write for all boots of the next moments.</summary>
    public void Record(string stationId, BootInfo boot)
    {
        _boots[stationId] = boot;
        if (Interlocked.Exchange(ref _unsaved, 1) == 0) _timer.Change(WriteDelay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Writes what is not written yet (and waits for a write under way).</summary>
    public void Save()
    {
        lock (_writing)
        {
            if (Interlocked.Exchange(ref _unsaved, 0) == 0) return;
            var stored = new StoredBoots(1, _boots);
            try
            {
                // Streamed: 10,000 stations are ~2 MB of JSON, written after a burst of boots.
                AtomicFile.Write(_filePath, file => JsonSerializer.Serialize(file, stored, BootsFileJson.Default.StoredBoots));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning("Cannot write {Path}: {Reason}", _filePath, e.Message);
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        Save();
    }

    private IReadOnlyDictionary<string, BootInfo> Load()
    {
        try
        {
            if (!File.Exists(_filePath)) return new Dictionary<string, BootInfo>();
            var stored = JsonSerializer.Deserialize(File.ReadAllText(_filePath), BootsFileJson.Default.StoredBoots);
            return stored?.Stations ?? new Dictionary<string, BootInfo>();
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Ignoring {Path}: {Reason}; the boxes' vendor, model and firmware are known again at their next boot", _filePath, e.Message);
            return new Dictionary<string, BootInfo>();
        }
    }

    internal sealed record StoredBoots(int Version, IReadOnlyDictionary<string, BootInfo> Stations);
}

/// <summary>boots.json's JSON code, generated at build time (no reflection: Native AOT, faster start).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(LastBoots.StoredBoots))]
internal sealed partial class BootsFileJson : JsonSerializerContext;

using System.Text.Json;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging;

/// <summary>
/// Keeps the Manual claims of one station in <c>&lt;data dir&gt;/claims-&lt;name&gt;.json</c> so a person's
/// override survives a restart. Written atomically (temp file + rename); rule claims are not
/// stored (rules re-assert theirs). Without a data directory it stores nothing.
/// </summary>
internal sealed class ManualClaimStore(string? directory, string stationName, ILogger logger)
{
    public string? FilePath { get; } = directory is null ? null : Path.Combine(directory, $"claims-{SafeFileName(stationName)}.json");

    /// <summary>The stored claims that have not expired by <paramref name="now"/>. An unreadable file is logged and ignored.</summary>
    public IReadOnlyList<Claim> Load(DateTimeOffset now)
    {
        if (FilePath is null || !File.Exists(FilePath)) return [];
        try
        {
            var stored = JsonSerializer.Deserialize(File.ReadAllText(FilePath), StoreJson.Default.StoredClaims);
            return (stored?.Claims ?? [])
                .Select(c => new Claim(c.Source, c.Amps, ClaimKind.Manual, ToUtc(c.Since), c.ExpiresAt is { } e ? ToUtc(e) : null, c.EndsOnUnplug, c.Reason))
                .Where(c => c.ExpiresAt is null || c.ExpiresAt > now)
                .ToArray();
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Ignoring unreadable manual claims file {File}", FilePath);
            return [];
        }
    }

    public async Task SaveAsync(IEnumerable<Claim> manualClaims, CancellationToken ct)
    {
        if (FilePath is null) return;
        var stored = new StoredClaims(1, manualClaims
            .Select(c => new StoredClaim(c.Source, c.Amps, c.Since.UtcDateTime, c.ExpiresAt?.UtcDateTime, c.EndsOnUnplug, c.Reason))
            .ToList());
        await AtomicFile.WriteAllTextAsync(FilePath, JsonSerializer.Serialize(stored, StoreJson.Default.StoredClaims), ct);
    }

    private static DateTimeOffset ToUtc(DateTime at) => new(DateTime.SpecifyKind(at.ToUniversalTime(), DateTimeKind.Utc));

    private static string SafeFileName(string name)
        => string.Concat(name.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_'));

    internal sealed record StoredClaims(int Version, List<StoredClaim> Claims);

    /// <summary>Times are UTC (serialized with a trailing Z).</summary>
    internal sealed record StoredClaim(string Source, double Amps, DateTime Since, DateTime? ExpiresAt, bool EndsOnUnplug, string? Reason);
}

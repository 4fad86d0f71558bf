using System.Text.Json;
using System.Text.Json.Serialization;
using BmwWallbox.Core;

namespace BmwWallbox.Doctor;

/// <summary>
/// What a running bmw-rules writes to <c>&lt;data_dir&gt;/status.json</c> (atomically, every 10 s, less often
/// on large sites) so that `bmw-rules doctor` can show the live state without talking to it.
/// </summary>
public sealed record DaemonStatus
{
    public const string FileName = "status.json";

    public int Pid { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    /// <summary>When this file was last written; older than ~2 minutes means the daemon is gone or hangs.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
    public OcppListenStatus Ocpp { get; init; } = new();
    public IReadOnlyList<StationStatus> Stations { get; init; } = [];
    public RulesStatus Rules { get; init; } = new();
    public IReadOnlyList<SignalStatus> Signals { get; init; } = [];
    /// <summary>Stations that connected without being configured (ocpp.accept_unknown: pending), with a person's decision so far.</summary>
    public IReadOnlyList<UnknownStationStatus> UnknownStations { get; init; } = [];

    public static string PathIn(string dataDir) => Path.Combine(dataDir, FileName);

    // The file as only programs read it: no indentation and no null fields (a reader takes a missing one as
    // null), about half the size of the indented JSON; at 10,000 stations 3.6 instead of 6.8 MB per write.
    private static readonly StatusJsonContext FileJson = new(new JsonSerializerOptions(StatusJsonContext.Default.Options)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    /// <summary>Reads a status file. Throws FileNotFoundException when missing, InvalidDataException when unreadable.</summary>
    public static DaemonStatus Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, StatusJsonContext.Default.DaemonStatus)
                ?? throw new InvalidDataException($"{path}: empty status file");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a bmw-rules status file ({JsonErrorText.Of(e)})", e);
        }
    }

    /// <summary>Writes to a temporary file beside <paramref name="path"/> and renames it over, so readers never see half a file.</summary>
    public async Task WriteAsync(string path, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await JsonSerializer.SerializeAsync(stream, this, FileJson.DaemonStatus, ct);
                await stream.FlushAsync(ct);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}

/// <summary>Where the OCPP server listens.</summary>
public sealed record OcppListenStatus
{
    public string Address { get; init; } = "";
    public int Port { get; init; }
}

public sealed record StationStatus
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public bool Connected { get; init; }
    public DateTimeOffset? ConnectedAt { get; init; }
    public DateTimeOffset? LastHeartbeatAt { get; init; }
    /// <summary>Any message from the box; a busy box may skip heartbeats (OCPP sends them only when idle).</summary>
    public DateTimeOffset? LastMessageAt { get; init; }
    public BootStatus? Boot { get; init; }
    /// <summary>Connector status from the last StatusNotification.</summary>
    public ConnectorStatus? Status { get; init; }
    public bool TransactionActive { get; init; }
    public string? TransactionId { get; init; }
    public ChargingState? ChargingState { get; init; }
    /// <summary>Effective limit in A (0 = paused) and the claim that sets it (e.g. "rule:solar", "manual", "max_current").</summary>
    public double? Limit { get; init; }
    public string? LimitSource { get; init; }
    /// <summary>The limit the box last accepted, in A.</summary>
    public double? AppliedLimit { get; init; }
    public RejectedCommand? LastRejected { get; init; }
    [JsonPropertyName("reboots_last_24h")]
    public int RebootsLast24h { get; init; }
}

/// <summary>The last BootNotification.</summary>
public sealed record BootStatus(string Vendor, string Model, string? Firmware, string Reason, DateTimeOffset At);

/// <summary>
/// The last command the box (or the safety envelope) refused. The doctor picks its fix from the
/// action and message, so keep the words: "no transaction", "out of range"/"envelope", "Finishing",
/// "SetChargingProfile", "evse".
/// </summary>
public sealed record RejectedCommand(string Action, string Message, DateTimeOffset At);

public sealed record RulesStatus
{
    /// <summary>How many rules are loaded and active.</summary>
    public int Loaded { get; init; }
    public IReadOnlyList<Problem> Errors { get; init; } = [];
    public IReadOnlyList<RuleActivity> Rules { get; init; } = [];
}

/// <summary>A loaded rule; <see cref="LastFiredAt"/> null = never fired since start.</summary>
public sealed record RuleActivity(string Id, DateTimeOffset? LastFiredAt);

public sealed record SignalStatus(string Name, double? Value, DateTimeOffset? UpdatedAt, bool Stale);

/// <summary>An unknown station in status.json: status is pending, approved (served from the next start) or rejected.</summary>
public sealed record UnknownStationStatus(string Id, string Status, bool Connected, DateTimeOffset LastSeen, string Remote, string? Vendor, string? Model, string? SerialNumber);

using System.Text.Json;
using System.Text.Json.Serialization;
using BmwWallbox.Core;

namespace BmwWallbox.Ocpp;

/// <summary>Where an unknown station stands: waiting for a person, approved (served from the next start), or rejected (404).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalStatus>))]
public enum ApprovalStatus { Pending, Approved, Rejected }

/// <summary>
/// A station that connected without being configured (<c>ocpp.accept_unknown: pending</c>, or a member of a station group
/// whose prefix is <see cref="Group"/>: approved by the group's password, which is not stored here), as stored.
/// </summary>
public sealed record UnknownStation(string Id, string Password, ApprovalStatus Status, DateTimeOffset FirstSeen, DateTimeOffset LastSeen,
    string Remote, string? Vendor = null, string? Model = null, string? SerialNumber = null, string? Group = null);

/// <summary>What an unknown station's login gets.</summary>
public enum Admission { Pending, Approved, WrongPassword, Rejected, Full }

/// <summary>
/// The stations that connected without being configured, kept in <c>data_dir/stations.json</c> (written atomically,
/// mode 0600: it holds passwords, like config.yaml). The first password a new id presents is the one it must present
/// from then on (trust on first use); a person approves (served as a station from the next start), rejects (404 from now
/// on) or forgets it (it may ask again). The file is read on every change, so the CLI and a running daemon share it.
/// </summary>
public sealed class StationApprovals(string filePath, int maxPending = 20)
{
    private readonly Lock _gate = new();

    public string FilePath { get; } = filePath;

    /// <summary>Raised after the list changed (a new pending station, an approval, …), outside the lock.</summary>
    public event Action? Changed;

    public IReadOnlyList<UnknownStation> All
    {
        get
        {
            lock (_gate) return Load();
        }
    }

    /// <summary>
    /// The approved stations, as ocpp.stations entries named after their id; a group's member (<see cref="UnknownStation.Group"/>)
    /// with the group's password and name, and left out when its group is no longer in <paramref name="groups"/>.
    /// </summary>
    public IReadOnlyList<StationOptions> Approved(IReadOnlyList<StationGroupOptions> groups)
    {
        var approved = new List<StationOptions>();
        foreach (var s in All.Where(s => s.Status == ApprovalStatus.Approved))
        {
            if (s.Group is null) approved.Add(new StationOptions { Id = s.Id, Password = s.Password, Name = StationNames.FromId(s.Id) });
            else if (groups.FirstOrDefault(g => g.Prefix == s.Group && g.Contains(s.Id)) is { } group)
                approved.Add(new StationOptions { Id = s.Id, Password = group.Password, Name = group.NameFor(s.Id) });
        }
        return approved;
    }

    /// <summary>An unknown station logs in with <paramref name="password"/>: a new id is recorded as pending (when there is room).</summary>
    public Admission Admit(string id, string password, string remote, DateTimeOffset now)
    {
        Admission result;
        lock (_gate)
        {
            var all = Load();
            var known = all.FirstOrDefault(s => s.Id == id);
            if (known is not null)
            {
                if (known.Status == ApprovalStatus.Rejected) return Admission.Rejected;
                if (!SameText(known.Password, password)) return Admission.WrongPassword;
                Save([.. all.Select(s => s == known ? s with { LastSeen = now, Remote = remote } : s)]);
                return known.Status == ApprovalStatus.Approved ? Admission.Approved : Admission.Pending;
            }
            if (all.Count(s => s.Status == ApprovalStatus.Pending) >= maxPending) return Admission.Full;
            Save([.. all, new UnknownStation(id, password, ApprovalStatus.Pending, now, now, remote)]);
            result = Admission.Pending;
        }
        Changed?.Invoke();
        return result;
    }

    /// <summary>
    /// A station logs in with the password of the station group <paramref name="group"/>: it is recorded as the group's
    /// member, approved (unless a person rejected it). Full when the group has <see cref="StationGroupOptions.MaxStations"/> members.
    /// </summary>
    public Admission AdmitToGroup(string id, StationGroupOptions group, string remote, DateTimeOffset now)
    {
        lock (_gate)
        {
            var all = Load();
            var known = all.FirstOrDefault(s => s.Id == id);
            if (known is { Status: ApprovalStatus.Rejected }) return Admission.Rejected;
            if (known is { Status: ApprovalStatus.Approved } && known.Group == group.Prefix)
            {
                Save([.. all.Select(s => s == known ? s with { LastSeen = now, Remote = remote } : s)]);
                return Admission.Approved;
            }
            if (known?.Group != group.Prefix && all.Count(s => s.Group == group.Prefix) >= group.MaxStations) return Admission.Full;
            var member = new UnknownStation(id, "", ApprovalStatus.Approved, known?.FirstSeen ?? now, now, remote, known?.Vendor, known?.Model, known?.SerialNumber, group.Prefix);
            Save(known is null ? [.. all, member] : [.. all.Select(s => s == known ? member : s)]);
        }
        Changed?.Invoke();
        return Admission.Approved;
    }

    /// <summary>What the station said about itself in its BootNotification, for the person deciding.</summary>
    public void RecordBoot(string id, string? vendor, string? model, string? serialNumber, DateTimeOffset now)
        => Change(id, s => s with { Vendor = vendor, Model = model, SerialNumber = serialNumber, LastSeen = now });

    /// <summary>False when the id is not in the list.</summary>
    public bool Approve(string id) => Change(id, s => s with { Status = ApprovalStatus.Approved });

    public bool Reject(string id) => Change(id, s => s with { Status = ApprovalStatus.Rejected });

    public bool Forget(string id)
    {
        lock (_gate)
        {
            var all = Load();
            if (all.All(s => s.Id != id)) return false;
            Save([.. all.Where(s => s.Id != id)]);
        }
        Changed?.Invoke();
        return true;
    }

    private bool Change(string id, Func<UnknownStation, UnknownStation> change)
    {
        lock (_gate)
        {
            var all = Load();
            if (all.All(s => s.Id != id)) return false;
            Save([.. all.Select(s => s.Id == id ? change(s) : s)]);
        }
        Changed?.Invoke();
        return true;
    }

    /// <summary>A missing file is an empty list; an unreadable one is an error for the caller (never silently emptied).</summary>
    private List<UnknownStation> Load()
    {
        if (!File.Exists(FilePath)) return [];
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(FilePath), StationsFileJson.Default.StoredStations)?.Stations ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{FilePath} is not a stations file ({JsonErrorText.Of(e)}); fix or remove it", e);
        }
    }

    private void Save(List<UnknownStation> stations)
    {
        AtomicFile.WriteAllText(FilePath, JsonSerializer.Serialize(new StoredStations(1, stations), StationsFileJson.Default.StoredStations), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static bool SameText(string a, string b)
        => System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));

    internal sealed record StoredStations(int Version, List<UnknownStation> Stations);
}

/// <summary>stations.json's JSON code, generated at build time (no reflection: Native AOT, faster start).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(StationApprovals.StoredStations))]
internal sealed partial class StationsFileJson : JsonSerializerContext;

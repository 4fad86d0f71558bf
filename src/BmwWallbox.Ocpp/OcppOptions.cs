using System.Net;
using BmwWallbox.Core;

namespace BmwWallbox.Ocpp;

/// <summary>The <c>ocpp:</c> section of config.yaml.</summary>
public sealed record OcppOptions
{
    public int Port { get; init; } = 9000;
    /// <summary>Address to listen on; "0.0.0.0" = every IPv4 interface, "::" = every interface.</summary>
    public string Bind { get; init; } = "0.0.0.0";
    public TlsOptions Tls { get; init; } = new();
    /// <summary>Plain ws:// (security profile 1). For tests only; the BMW box needs wss.</summary>
    public bool AllowInsecure { get; init; }
    public IReadOnlyList<StationOptions> Stations { get; init; } = [];
    /// <summary>Heartbeat interval told to the box in the BootNotification response.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>How long one CSMS → station call may take before it is given up.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>When set, only these id tokens are Accepted; when empty every token is (a private home box).</summary>
    public IReadOnlyList<string> IdTokens { get; init; } = [];
    /// <summary>Incoming frames larger than this are refused (close 1009).</summary>
    public int MaxFrameBytes { get; init; } = 64 * 1024;
    /// <summary>WebSocket ping interval; a peer that does not answer within PingTimeout is dropped.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Open connections in total (handshakes in progress and sessions); more are closed at once.</summary>
    public int MaxConnections { get; init; } = 64;
    /// <summary>Open connections from one IP address; more are closed at once.</summary>
    public int MaxConnectionsPerAddress { get; init; } = 8;
    /// <summary>TLS and the WebSocket upgrade must be done within this; a socket that never upgrades is closed after it.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>After this many failed logins (401/404) from one address within <see cref="FailedLoginWindow"/> it gets 429 until they age out.</summary>
    public int MaxFailedLogins { get; init; } = 5;
    public TimeSpan FailedLoginWindow { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>
    /// A file of further stations, one <c>id password [name]</c> a line (<see cref="StationFile"/>), for sites with many boxes;
    /// relative to config.yaml, read at start. Empty: none. An entry under <see cref="Stations"/> wins over a line with the same id.
    /// </summary>
    public string PasswordFile { get; init; } = "";
    /// <summary>
    /// What a station that is not configured gets: "reject" (HTTP 404) or "pending" (accepted on the WebSocket, its
    /// BootNotification answered Pending until a person approves it; <see cref="StationApprovals"/>).
    /// </summary>
    public string AcceptUnknown { get; init; } = UnknownStationPolicy.Reject;
    /// <summary>The interval in a Pending BootNotification answer: the station boots again after it.</summary>
    public TimeSpan PendingInterval { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>At most this many unknown stations wait for approval; more are refused (404), so strangers cannot fill data_dir.</summary>
    public int MaxPending { get; init; } = 20;
    /// <summary>Stations named by an id prefix with one shared password, served from their first connection on (<see cref="StationGroupOptions"/>).</summary>
    public IReadOnlyList<StationGroupOptions> StationGroups { get; init; } = [];

    /// <summary>The group whose prefix <paramref name="stationId"/> starts with (prefixes do not overlap), or null.</summary>
    public StationGroupOptions? GroupOf(string stationId) => StationGroups.FirstOrDefault(g => g.Contains(stationId));

    /// <summary>Whether stations that are not configured can get in at all (pending, or as a group member), so data_dir/stations.json is kept.</summary>
    public bool KeepsUnknownStations => AcceptUnknown == UnknownStationPolicy.Pending || StationGroups.Count > 0;

    /// <summary>The longest station id: the box sends it as the last URL segment and the Basic-auth user name.</summary>
    public const int MaxStationIdLength = 48;

    /// <summary>What <see cref="IsValidStationId"/> asks, as a hint.</summary>
    public const string StationIdRule = "OCPP station ids have at most 48 characters and no ':', '/', '?', '#' or spaces";

    /// <summary>The id is a URL segment: '/', '?', '#' and spaces would cut or change the URL the box dials.</summary>
    public static bool IsValidStationId(string id)
        => id.Length is > 0 and <= MaxStationIdLength && id.IndexOfAny([':', '/', '?', '#']) < 0 && !id.Any(char.IsWhiteSpace);

    /// <summary>Security profile 2 passwords have 16–40 characters.</summary>
    public static bool IsValidPassword(string password) => password.Length is >= 16 and <= 40;

    /// <summary>
    /// Every setting that makes no sense, at its config.yaml key: the one list both <c>validate</c> and
    /// the <see cref="OcppServer"/> constructor use, so what one accepts the other starts with.
    /// </summary>
    public IReadOnlyList<OptionProblem> Problems()
    {
        var problems = new List<OptionProblem>();
        void Add(string key, string message, string? hint = null, Severity severity = Severity.Error) =>
            problems.Add(new OptionProblem(key, message, hint, severity));

        if (Bind != "localhost" && !IPAddress.TryParse(Bind, out _))
            Add("ocpp.bind", $"ocpp.bind '{Bind}' is not an IP address", "use 0.0.0.0 for all IPv4 interfaces, :: for all");
        if (Port is < 0 or > 65535) Add("ocpp.port", $"ocpp.port {Port} is not a TCP port", "use 1–65535; the BMW box is usually pointed at 9000");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Stations.Count; i++)
        {
            var s = Stations[i];
            var at = $"ocpp.stations[{i}]";
            if (string.IsNullOrWhiteSpace(s.Id)) Add(at, "station without id", "the id is the last part of the URL the box dials, e.g. DE*BMW*E123456");
            else if (!IsValidStationId(s.Id)) Add($"{at}.id", $"station id '{s.Id}' is invalid", StationIdRule);
            else if (!ids.Add(s.Id)) Add($"{at}.id", $"station id '{s.Id}' is listed twice");
            if (s.Password.Length == 0) Add(at, $"station '{s.Id}' has no password", "security profile 2 needs the password set in the installer app");
            else if (!IsValidPassword(s.Password))
                Add($"{at}.password", $"the password of station '{s.Id}' has {s.Password.Length} characters", "OCPP 2.0.1 passwords have 16–40 characters; set the one you enter in the BMW installer app");
        }
        if (AcceptUnknown is not (UnknownStationPolicy.Reject or UnknownStationPolicy.Pending))
            Add("ocpp.accept_unknown", $"ocpp.accept_unknown '{AcceptUnknown}' is not a policy", $"use {UnknownStationPolicy.Reject} (HTTP 404, the default) or {UnknownStationPolicy.Pending} (wait for a person's approval)");
        if (PendingInterval < TimeSpan.FromSeconds(10) || PendingInterval > TimeSpan.FromDays(1))
            Add("ocpp.pending_interval", $"ocpp.pending_interval {PendingInterval} is out of range", "use 10s to 1d; a pending station boots again after it");
        if (MaxPending < 1) Add("ocpp.max_pending", "ocpp.max_pending must be at least 1");
        for (var i = 0; i < StationGroups.Count; i++)
        {
            problems.AddRange(StationGroups[i].Problems($"ocpp.station_groups[{i}]"));
            var prefix = StationGroups[i].Prefix;
            if (prefix.Length > 0 && StationGroups.Take(i).FirstOrDefault(g => g.Prefix.Length > 0 && (g.Prefix.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(g.Prefix, StringComparison.Ordinal))) is { } other)
                Add($"ocpp.station_groups[{i}].prefix", $"station group prefixes '{other.Prefix}' and '{prefix}' overlap", "a station id must belong to one group; make the prefixes distinct, e.g. 'GARAGE-A' and 'GARAGE-B'");
        }
        if (CommandTimeout <= TimeSpan.Zero) Add("ocpp.command_timeout", "ocpp.command_timeout must be positive");
        if (HeartbeatInterval < TimeSpan.FromSeconds(1)) Add("ocpp.heartbeat_interval", "ocpp.heartbeat_interval must be at least 1s");
        if (PingInterval < TimeSpan.Zero) Add("ocpp.ping_interval", $"ocpp.ping_interval cannot be negative (is {PingInterval})");
        if (PingTimeout < TimeSpan.Zero) Add("ocpp.ping_timeout", $"ocpp.ping_timeout cannot be negative (is {PingTimeout})");
        if (MaxFrameBytes < 1024) Add("ocpp.max_frame_bytes", $"ocpp.max_frame_bytes {MaxFrameBytes} is too small", "at least 1024; a BMW box's frames need the default 65536");
        if (MaxConnections < 1) Add("ocpp.max_connections", "ocpp.max_connections must be at least 1");
        if (MaxConnectionsPerAddress < 1) Add("ocpp.max_connections_per_address", "ocpp.max_connections_per_address must be at least 1");
        if (HandshakeTimeout < TimeSpan.FromSeconds(1)) Add("ocpp.handshake_timeout", "ocpp.handshake_timeout must be at least 1s");
        if (MaxFailedLogins < 1) Add("ocpp.max_failed_logins", "ocpp.max_failed_logins must be at least 1");
        if (FailedLoginWindow <= TimeSpan.Zero) Add("ocpp.failed_login_window", "ocpp.failed_login_window must be positive");
        return problems;
    }
}

/// <summary>The values of <c>ocpp.accept_unknown</c>.</summary>
public static class UnknownStationPolicy
{
    public const string Reject = "reject";
    public const string Pending = "pending";
}

public sealed record TlsOptions
{
    public string Cert { get; init; } = "/ssl/fullchain.pem";
    public string Key { get; init; } = "/ssl/privkey.pem";
    /// <summary>Generate a self-signed development certificate when the files are missing.</summary>
    public bool SelfSigned { get; init; } = true;
}

public sealed record StationOptions
{
    /// <summary>The station id the box uses as the last URL segment and as Basic-auth user name.</summary>
    public string Id { get; init; } = "";
    public string Password { get; init; } = "";
    /// <summary>Topic-safe slug used in MQTT topics and rules (e.g. "garage").</summary>
    public string Name { get; init; } = "";
}

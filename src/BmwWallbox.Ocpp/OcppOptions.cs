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

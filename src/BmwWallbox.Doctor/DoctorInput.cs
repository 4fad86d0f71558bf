using BmwWallbox.Core;

namespace BmwWallbox.Doctor;

/// <summary>Everything the doctor looks at, mapped from config.yaml (and <c>--host</c>) by the executable.</summary>
public sealed record DoctorInput
{
    /// <summary>Shown in fixes, e.g. "bmw-rules run --config config.yaml".</summary>
    public string ConfigPath { get; init; } = "config.yaml";
    /// <summary>What loading and validating config.yaml (and its rule files) found; empty = fine.</summary>
    public IReadOnlyList<Problem> ConfigProblems { get; init; } = [];
    public string CertPath { get; init; } = "/ssl/fullchain.pem";
    public string KeyPath { get; init; } = "/ssl/privkey.pem";
    /// <summary><c>ocpp.tls.self_signed</c>: missing files are replaced by a generated development certificate.</summary>
    public bool SelfSigned { get; init; } = true;
    /// <summary><c>ocpp.allow_insecure</c>: plain ws://, the handshake then skips TLS.</summary>
    public bool AllowInsecure { get; init; }
    /// <summary>The host name users type into the wallbox's installer app; null = unknown (not checked).</summary>
    public string? Host { get; init; }
    public string BindAddress { get; init; } = "0.0.0.0";
    public int Port { get; init; } = 9000;
    public IReadOnlyList<DoctorStation> Stations { get; init; } = [];
    /// <summary><c>mqtt.bind</c> of the embedded broker; null = an external broker is configured.</summary>
    public string? MqttEmbeddedBind { get; init; } = "127.0.0.1";
    /// <summary>How many logins <c>mqtt.users</c> defines (0 = anyone may connect to the embedded broker).</summary>
    public int MqttUsers { get; init; }
    /// <summary>Where the running daemon writes <c>status.json</c>.</summary>
    public string DataDir { get; init; } = "data";
    /// <summary><c>ocpp.heartbeat_interval</c>: a connected box silent for 3× this is suspicious.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>A status file older than this means the daemon is gone or hangs (it rewrites it far more often).</summary>
    public TimeSpan StatusMaxAge { get; init; } = TimeSpan.FromMinutes(2);

    internal string StartFix => $"start it with `bmw-rules run --config {ConfigPath}`";
}

/// <summary>A configured station. No password: the doctor never sends one (config.yaml's are checked in step 1).</summary>
public sealed record DoctorStation(string Id, string Name);

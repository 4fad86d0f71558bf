namespace BmwWallbox.Ocpp.Server;

/// <summary>Checks the ocpp: section before anything starts, naming the key that is wrong.</summary>
internal static class OcppOptionsValidator
{
    public const int MaxStationIdLength = 48;

    public static void Validate(OcppOptions options, ServerCertificate? certificate)
    {
        var problems = new List<string>();
        if (options.Port is < 0 or > 65535) problems.Add($"ocpp.port {options.Port} is not a TCP port (0-65535)");
        if (options.CommandTimeout <= TimeSpan.Zero) problems.Add("ocpp.command_timeout must be positive");
        if (options.HeartbeatInterval < TimeSpan.FromSeconds(1)) problems.Add("ocpp.heartbeat_interval must be at least 1 s");
        if (options.PingInterval < TimeSpan.Zero || options.PingTimeout < TimeSpan.Zero) problems.Add("ocpp.ping_interval / ocpp.ping_timeout must not be negative");
        if (options.MaxFrameBytes < 1024) problems.Add("ocpp.max_frame_bytes must be at least 1024");
        if (options.MaxConnections < 1 || options.MaxConnectionsPerAddress < 1) problems.Add("ocpp.max_connections / ocpp.max_connections_per_address must be at least 1");
        if (options.HandshakeTimeout < TimeSpan.FromSeconds(1)) problems.Add("ocpp.handshake_timeout must be at least 1 s");
        if (options.MaxFailedLogins < 1 || options.FailedLoginWindow <= TimeSpan.Zero) problems.Add("ocpp.max_failed_logins must be at least 1 and ocpp.failed_login_window positive");
        if (!options.AllowInsecure && certificate is null) problems.Add("a TLS certificate is required unless ocpp.allow_insecure is true");

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Stations.Count; i++)
        {
            var station = options.Stations[i];
            var where = $"ocpp.stations[{i}]";
            if (string.IsNullOrWhiteSpace(station.Id))
                problems.Add($"{where}.id is empty");
            else if (station.Id.Length > MaxStationIdLength || station.Id.IndexOfAny([':', '/', '?', '#']) >= 0 || station.Id.Any(char.IsWhiteSpace))
                problems.Add($"{where}.id '{station.Id}' must be at most {MaxStationIdLength} characters without ':', '/', '?', '#' or spaces");
            else if (!seen.Add(station.Id))
                problems.Add($"{where}.id '{station.Id}' is configured twice");
            if (station.Password.Length is < 16 or > 40)
                problems.Add($"{where}.password must be 16-40 characters (OCPP basic auth), it has {station.Password.Length}");
        }

        if (problems.Count > 0)
            throw new ArgumentException("Invalid OCPP configuration: " + string.Join("; ", problems), nameof(options));
    }
}

namespace BmwWallbox.SimulatedBox;

/// <summary>How <see cref="SimulatedBoxClient"/> reaches the CSMS.</summary>
public sealed record SimulatedBoxClientOptions
{
    /// <summary>Base URL, e.g. <c>wss://wallbox.example.org:9000/</c>; the percent-encoded station id is appended.</summary>
    public required Uri ServerUri { get; init; }

    /// <summary>HTTP Basic password (user = station id); null sends no Authorization header.</summary>
    public string? Password { get; init; }

    /// <summary>
    /// Accept any server certificate (self-signed dev certs). Off = quirk 11: like the real box, only a
    /// certificate that chains to a trusted CA and matches the host name is accepted.
    /// </summary>
    public bool AcceptAnyServerCertificate { get; init; }

    /// <summary>How long the box waits for the CSMS to answer one of its CALLs (OCPPCommCtrlr.MessageTimeout).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>WebSocket ping interval (OCPPCommCtrlr.WebSocketPingInterval); zero disables.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Reconnect after drops and failed attempts (back-off from <see cref="SimulatedBoxOptions"/>).</summary>
    public bool AutoReconnect { get; init; } = true;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(ServerUri);
        if (ServerUri.Scheme is not ("ws" or "wss")) throw new ArgumentException($"ServerUri must be ws:// or wss://, was '{ServerUri}'.");
        if (CallTimeout <= TimeSpan.Zero) throw new ArgumentException($"CallTimeout must be > 0, was {CallTimeout}.");
        if (ConnectTimeout <= TimeSpan.Zero) throw new ArgumentException($"ConnectTimeout must be > 0, was {ConnectTimeout}.");
        if (KeepAliveInterval < TimeSpan.Zero) throw new ArgumentException($"KeepAliveInterval must not be negative, was {KeepAliveInterval}.");
    }
}

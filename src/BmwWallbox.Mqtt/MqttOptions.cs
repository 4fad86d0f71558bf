namespace BmwWallbox.Mqtt;

/// <summary>The <c>mqtt:</c> section of config.yaml.</summary>
public sealed record MqttOptions
{
    /// <summary>null = the embedded broker; otherwise an external broker.</summary>
    public ExternalBrokerOptions? External { get; init; }
    /// <summary>Port of the embedded broker.</summary>
    public int Port { get; init; } = 1883;
    /// <summary>Address the embedded broker listens on (loopback unless configured).</summary>
    public string Bind { get; init; } = "127.0.0.1";
    /// <summary>Who may use the embedded broker; empty = anyone may connect and send commands.</summary>
    public IReadOnlyList<MqttUser> Users { get; init; } = [];
    public string BaseTopic { get; init; } = "bmw-wallbox";
    public bool HomeassistantDiscovery { get; init; } = true;
    public string DiscoveryPrefix { get; init; } = "homeassistant";
    /// <summary>First retry after a failed connect or a lost connection; doubles per failure (with jitter).</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Upper bound of the reconnect back-off.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>How long one connect attempt (and any broker round trip) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// Embedded broker: messages waiting for a slow client before the oldest are dropped (as
    /// mosquitto's max_queued_messages). Not a config key; tests make it small to force overflows.
    /// </summary>
    internal int MaxPendingMessagesPerClient { get; init; } = 1000;
}

/// <summary>One entry of <c>mqtt.users</c>: a login for the embedded broker.</summary>
public sealed record MqttUser
{
    public string Username { get; init; } = "";
    public string Password { get; init; } = "";
    /// <summary>May publish commands (<c>&lt;base&gt;/&lt;name&gt;/set/…</c>), as Home Assistant's buttons do.</summary>
    public bool CanCommand { get; init; }

    /// <summary>Never print the password (records print every property by default).</summary>
    public override string ToString() => $"MqttUser {{ Username = {Username}, CanCommand = {CanCommand} }}";
}

/// <summary><c>mqtt.broker: { host, port, ... }</c>.</summary>
public sealed record ExternalBrokerOptions
{
    public string Host { get; init; } = "localhost";
    public int Port { get; init; } = 1883;
    public string? Username { get; init; }
    public string? Password { get; init; }
    public bool Tls { get; init; }
    /// <summary>PEM file of the CA that signed the broker's certificate (for a private CA).</summary>
    public string? CaFile { get; init; }
    public string ClientId { get; init; } = "bmw-rules";
}

/// <summary>One entry of <c>signals:</c>: where a value comes from and how to read it.</summary>
public sealed record SignalOptions
{
    public string Topic { get; init; } = "";
    /// <summary>Path into a JSON payload, e.g. "$.ENERGY.Power"; absent = the payload is a plain number.</summary>
    public string? Json { get; init; }
    /// <summary>Multiplier applied to the value (e.g. 1000 for kW → W).</summary>
    public double Scale { get; init; } = 1;
    /// <summary>After this long without a value the signal reads as unavailable.</summary>
    public TimeSpan? StaleAfter { get; init; }
}

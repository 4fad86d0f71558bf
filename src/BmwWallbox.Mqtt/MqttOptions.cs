using BmwWallbox.Core;

namespace BmwWallbox.Mqtt;

/// <summary>The <c>mqtt:</c> section of config.yaml.</summary>
public sealed record MqttOptions
{
    /// <summary><c>mqtt.broker</c>: null = <c>embedded</c>; otherwise an external broker (the config loader reads both forms).</summary>
    public ExternalBrokerOptions? Broker { get; init; }
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

    /// <summary>
    /// Every setting that makes no sense, at its config.yaml key: the one list both <c>validate</c> and
    /// the <see cref="MqttBridge"/> constructor use, so what one accepts the other starts with.
    /// </summary>
    public IReadOnlyList<OptionProblem> Problems()
    {
        var problems = new List<OptionProblem>();
        void Add(string key, string message, string? hint = null, Severity severity = Severity.Error) =>
            problems.Add(new OptionProblem(key, message, hint, severity));

        if (string.IsNullOrWhiteSpace(BaseTopic) || BaseTopic.IndexOfAny(['+', '#']) >= 0 || BaseTopic.EndsWith('/'))
            Add("mqtt.base_topic", $"mqtt.base_topic '{BaseTopic}' is not a valid topic prefix", "no wildcards, no trailing '/'");
        if (HomeassistantDiscovery && (string.IsNullOrWhiteSpace(DiscoveryPrefix) || DiscoveryPrefix.IndexOfAny(['+', '#']) >= 0))
            Add("mqtt.discovery_prefix", $"mqtt.discovery_prefix '{DiscoveryPrefix}' is not a valid topic prefix", "no wildcards; Home Assistant listens on 'homeassistant'");
        if (ReconnectMinDelay <= TimeSpan.Zero) Add("mqtt.reconnect_min_delay", $"mqtt.reconnect_min_delay must be positive (is {ReconnectMinDelay})", "e.g. 1s");
        else if (ReconnectMaxDelay < ReconnectMinDelay)
            Add("mqtt.reconnect_min_delay", $"mqtt.reconnect_min_delay ({ReconnectMinDelay}) is above mqtt.reconnect_max_delay ({ReconnectMaxDelay})", "the back-off starts at the minimum and doubles up to the maximum");
        if (ConnectTimeout <= TimeSpan.Zero) Add("mqtt.connect_timeout", $"mqtt.connect_timeout must be positive (is {ConnectTimeout})", "e.g. 10s");
        var users = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Users.Count; i++)
        {
            var user = Users[i];
            if (string.IsNullOrWhiteSpace(user.Username) || user.Password.Length == 0)
                Add($"mqtt.users[{i}]", "every entry of mqtt.users needs a username and a password");
            else if (!users.Add(user.Username)) Add($"mqtt.users[{i}].username", $"MQTT user '{user.Username}' is listed twice");
        }
        if (Users.Count > 0 && Broker is not null)
            Add("mqtt.users", "mqtt.users applies to the embedded broker only", "with an external broker set mqtt.broker.username and password, and configure users on that broker", Severity.Warning);
        if (Broker is null)
        {
            if (!EmbeddedMqttBroker.TryParseBind(Bind, out _))
                Add("mqtt.bind", $"mqtt.bind must be an IP address such as 127.0.0.1 or 0.0.0.0, got '{Bind}'", "127.0.0.1 serves this machine only; 0.0.0.0 every IPv4 interface");
            if (Port is < 1 or > 65535) Add("mqtt.port", $"mqtt.port {Port} is not a TCP port", "use 1–65535 (default 1883)");
        }
        if (Broker is { } external)
        {
            if (string.IsNullOrWhiteSpace(external.Host)) Add("mqtt.broker", "mqtt.broker.host is empty");
            if (external.CaFile is { Length: > 0 } && !external.Tls) Add("mqtt.broker.ca_file", "mqtt.broker.ca_file is set but tls is false", "set tls: true", Severity.Warning);
        }
        return problems;
    }
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
    /// <summary>Empty: bmw-rules makes one per instance (host name and data_dir), so two instances on one broker differ.</summary>
    public string ClientId { get; init; } = "";
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
    /// <summary>A derived signal: computed from other signals (e.g. "-grid_power + charger_power") instead of read from a topic.</summary>
    public string? Expr { get; init; }

    /// <summary>A derived signal (no topic of its own).</summary>
    public bool IsDerived => Expr is not null;

    /// <summary>
    /// Every setting of signal <paramref name="name"/> that makes no sense, at its config.yaml key: the one
    /// list both <c>validate</c> and the <see cref="MqttBridge"/> constructor use.
    /// </summary>
    public IReadOnlyList<OptionProblem> Problems(string name)
    {
        var problems = new List<OptionProblem>();
        var at = $"signals.{name}";
        if (Expr is { } expr)
        {
            if (!string.IsNullOrWhiteSpace(Topic) || Json is not null || StaleAfter is not null || Scale != 1)
                problems.Add(new($"{at}.expr", $"{at} has an expr and also topic, json, scale or stale_after",
                    "a derived signal is computed from other signals (and is stale when one of them is); remove the other keys"));
            try { SignalExpression.Parse(expr); }
            catch (SignalExpressionException e)
            {
                problems.Add(new($"{at}.expr", $"{at}.expr: {e.Message} at character {e.Position + 1} of '{expr}'",
                    "use signal names, numbers, + - * /, parentheses, min(…) and max(…), e.g. \"-grid_power + charger_power\""));
            }
            return problems;
        }
        if (string.IsNullOrWhiteSpace(Topic)) problems.Add(new($"{at}", $"{at} has no topic"));
        else if (Topic.IndexOfAny(['+', '#']) >= 0) problems.Add(new($"{at}.topic", $"{at}.topic '{Topic}' has a wildcard", "a signal reads one exact topic"));
        if (Scale == 0) problems.Add(new($"{at}.scale", $"{at} has scale 0, which would turn every value into 0"));
        else if (!double.IsFinite(Scale)) problems.Add(new($"{at}.scale", $"{at}.scale {Scale} is not a number", "e.g. 1000 for kW → W"));
        if (StaleAfter is { } stale && stale <= TimeSpan.Zero) problems.Add(new($"{at}.stale_after", $"{at}.stale_after must be positive (is {stale})", "e.g. 5m; leave it out to never go stale"));
        if (Json is { } json)
        {
            if (!json.StartsWith('$')) problems.Add(new($"{at}.json", $"{at}.json '{json}' must start with '$'", "e.g. $.ENERGY.Power"));
            else
            {
                try { JsonPath.Parse(json); }
                catch (FormatException e) { problems.Add(new($"{at}.json", $"{at}.json: {e.Message}", "e.g. $.ENERGY.Power, $.a.b[0] or $['key with space']")); }
            }
        }
        return problems;
    }
}

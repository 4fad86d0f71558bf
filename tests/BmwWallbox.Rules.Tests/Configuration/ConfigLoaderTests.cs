using BmwWallbox.Core;
using BmwWallbox.Rules.Configuration;

namespace BmwWallbox.Rules.Tests.Configuration;

public class ConfigLoaderTests
{
    private const string Minimal = """
        ocpp:
          stations:
            - { id: "DE*BMW*E1", password: "0123456789abcdef", name: garage }
        """;

    [Fact]
    public void Shipped_config_is_valid_and_documents_the_defaults()
    {
        var result = ConfigLoader.Load(RepoPaths.Of("config.yaml"));

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var c = result.Config!;
        Assert.Equal(9000, c.Ocpp.Port);
        Assert.Equal(TimeSpan.FromSeconds(15), c.Ocpp.CommandTimeout);
        Assert.True(c.Ocpp.Tls.SelfSigned);
        Assert.Null(c.Mqtt.Broker);
        Assert.Equal("bmw-wallbox", c.Mqtt.BaseTopic);
        Assert.Equal(6, c.Wallbox.MinCurrent);
        Assert.Equal(32, c.Wallbox.MaxCurrent);
        Assert.Equal(TimeSpan.FromMinutes(5), c.Signals["solar_power"].StaleAfter);
        var solar = new BmwWallbox.Charging.Strategies.ModeOptions();
        Assert.Equal((solar.EnableShare, solar.EnableDelay, solar.DisableShare, solar.DisableDelay),
            (c.Charging.EnableShare, c.Charging.EnableDelay, c.Charging.DisableShare, c.Charging.DisableDelay));
    }

    [Fact]
    public void Minimal_config_gets_defaults()
    {
        var result = ConfigLoader.Parse(Minimal, "c.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal("garage", result.Config!.Ocpp.Stations.Single().Name);
        Assert.Equal(TimeSpan.FromSeconds(10), result.Config.Wallbox.MeterPollInterval);
        Assert.Equal("rules", result.Config.Rules.Dir);
    }

    [Fact]
    public void External_broker_is_a_mapping()
    {
        var result = ConfigLoader.Parse(Minimal + "\nmqtt:\n  broker: { host: broker.lan, port: 8883, tls: true, username: u, password: p }\n", "c.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var broker = result.Config!.Mqtt.Broker!;
        Assert.Equal(("broker.lan", 8883, true, "u"), (broker.Host, broker.Port, broker.Tls, broker.Username));
    }

    [Fact]
    public void Embedded_broker_users_are_read_and_checked()
    {
        var result = ConfigLoader.Parse(Minimal + "\nmqtt:\n  users:\n    - { username: homeassistant, password: s3cret, can_command: true }\n    - { username: viewer, password: v13w }\n", "c.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal([("homeassistant", "s3cret", true), ("viewer", "v13w", false)],
            result.Config!.Mqtt.Users.Select(u => (u.Username, u.Password, u.CanCommand)));

        var bad = ConfigLoader.Parse(Minimal + "\nmqtt:\n  users:\n    - { username: ha }\n    - { username: v, password: a }\n    - { username: v, password: b }\n", "c.yaml");
        Assert.Contains(bad.Problems, p => p.Message == "every entry of mqtt.users needs a username and a password");
        Assert.Contains(bad.Problems, p => p.Message == "MQTT user 'v' is listed twice");
    }

    [Fact]
    public void The_dashboard_over_https_is_read_and_needs_the_OCPP_certificate()
    {
        var result = ConfigLoader.Parse(Minimal + "\nhttp:\n  tls: true\n", "c.yaml");
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.True(result.Config!.Http.Tls);

        var insecure = ConfigLoader.Parse(Minimal.Replace("ocpp:\n", "ocpp:\n  allow_insecure: true\n") + "\nhttp:\n  tls: true\n", "c.yaml");
        var problem = Assert.Single(insecure.Problems, p => p.Severity == Severity.Error);
        Assert.StartsWith("http.tls serves the dashboard with the OCPP server's certificate, but ocpp.allow_insecure is on", problem.Message);
        Assert.Equal(6, problem.Line); // at http.tls
    }

    [Theory]
    [InlineData("ocpp:\n  prot: 9000\n", 2, 3, "unknown key 'ocpp.prot'", "did you mean 'port'?")]
    [InlineData("wallbox:\n  max_curent: 16\n", 2, 3, "unknown key 'wallbox.max_curent'", "did you mean 'max_current'?")]
    [InlineData("ocpp:\n  command_timeout: fast\n", 2, 20, "is 'fast', not a duration", "15s")]
    [InlineData("ocpp:\n  port: nine\n", 2, 9, "not a whole number", null)]
    [InlineData("wallbox:\n  allow_reboot: maybe\n", 2, 17, "not true or false", null)]
    [InlineData("mqtt:\n  external: { host: broker.lan }\n", 2, 3, "unknown key 'mqtt.external'", "valid keys here: broker, port")] // the key is 'broker'
    [InlineData("mqtt:\n  broker: [1]\n", 2, 11, "'mqtt.broker' must be 'embedded' or a mapping", null)]
    [InlineData("wallbox:\n  min_current: 10\n  max_current: 8\n", 2, 16, "above max_current", null)]
    [InlineData("signals:\n  solar-power: { topic: a/b }\n", 2, 16, "cannot be used in rules", null)]
    [InlineData("signals:\n  solar: { topic: a/+/b }\n", 2, 19, "has a wildcard", null)]
    [InlineData("signals:\n  solar: { topic: a/b, scale: 0 }\n", 2, 31, "scale 0", null)]
    [InlineData("time_zone: Mars/Base\n", 1, 12, "unknown time zone 'Mars/Base'", "Europe/Berlin")]
    [InlineData("ocpp:\n  bind: \"0.0.0.0\n", 2, 9, "not valid YAML", "quoting")]
    [InlineData("ocpp:\n  port: [\n", 0, 0, "not valid YAML", "unclosed")]
    [InlineData("ocpp:\n  max_connections_per_address: 0\n", 2, 32, "ocpp.max_connections_per_address must be at least 1", null)]
    [InlineData("ocpp:\n  handshake_timeout: 0s\n", 2, 22, "ocpp.handshake_timeout must be at least 1s", null)]
    [InlineData("mqtt:\n  port: 0\n", 2, 9, "mqtt.port 0 is not a TCP port", "1–65535")]
    public void Broken_configs_are_reported_with_place_and_hint(string extra, int line, int column, string message, string? hint)
    {
        var yaml = extra.StartsWith("ocpp:") ? extra + "  stations:\n    - { id: \"E1\", password: \"0123456789abcdef\", name: g }\n" : Minimal + "\n" + extra;
        var offset = extra.StartsWith("ocpp:") ? 0 : Minimal.Split('\n').Length;

        var result = ConfigLoader.Parse(yaml, "c.yaml");

        Assert.False(result.Ok);
        var problem = Assert.Single(result.Problems, p => p.Severity == Severity.Error);
        Assert.Contains(message, problem.Message);
        Assert.Equal((line + offset, column), (problem.Line, problem.Column));
        if (hint is not null) Assert.Contains(hint, problem.Hint);
    }

    [Fact]
    public void Station_problems_name_the_station()
    {
        var result = ConfigLoader.Parse("ocpp:\n  stations:\n    - { id: \"A:B\", password: short, name: Garage }\n", "c.yaml");

        Assert.Contains(result.Problems, p => p.Message.Contains("station id 'A:B' is invalid"));
        Assert.Contains(result.Problems, p => p.Message.Contains("not topic-safe"));
        Assert.Contains(result.Problems, p => p.Severity == Severity.Error && p.Message.Contains("5 characters"));
    }

    [Fact]
    public void Missing_file_says_how_to_point_at_one()
    {
        var result = ConfigLoader.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".yaml"));

        Assert.False(result.Ok);
        Assert.Contains("--config", Assert.Single(result.Problems).Hint);
    }

    [Theory]
    [InlineData("15s", 15)]
    [InlineData("2m", 120)]
    [InlineData("1h30m", 5400)]
    [InlineData("500ms", 0.5)]
    [InlineData("00:00:20", 20)]
    [InlineData("45", 45)]
    [InlineData("1h 30m", 5400)]
    [InlineData("30s2m", 150)]
    public void Durations_are_read_as_people_write_them(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(seconds, value.TotalSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("5 minutes")]
    public void Nonsense_durations_are_refused(string text) => Assert.False(Durations.TryParse(text, out _));
}

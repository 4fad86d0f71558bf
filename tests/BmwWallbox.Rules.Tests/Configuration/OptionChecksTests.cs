using BmwWallbox.Charging;
using BmwWallbox.Core;
using BmwWallbox.History;
using BmwWallbox.Mqtt;
using BmwWallbox.Ocpp;
using BmwWallbox.Rules.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace BmwWallbox.Rules.Tests.Configuration;

/// <summary>
/// <c>validate</c> reports exactly what <c>run</c> refuses: each of these configs was once accepted by
/// <c>validate</c> and then refused by a component's constructor ("cannot start"). Now both come from the
/// options record's one list: validate places the finding at its key, the constructor throws the same words.
/// </summary>
public sealed class OptionChecksTests
{
    private const string Minimal = """
        ocpp:
          stations:
            - { id: "DE*BMW*E1", password: "0123456789abcdef", name: garage }

        """;

    public enum Part { Ocpp, Wallbox, Mqtt, History }

    // Each row is a part of config.yaml; '»' marks where the finding must point (and is not part of the YAML).
    [Theory]
    [InlineData(Part.Ocpp, "ocpp:\n  stations:\n    - { id: E1, password: »\"0123456789\", name: garage }", "the password of station 'E1' has 10 characters")]
    [InlineData(Part.Ocpp, "ocpp:\n  stations:\n    - { id: E1, password: »\"0123456789012345678901234567890123456789X\", name: garage }", "the password of station 'E1' has 41 characters")]
    [InlineData(Part.Ocpp, "ocpp:\n  stations:\n    - { id: »\"DE/1\", password: \"0123456789abcdef\", name: garage }", "station id 'DE/1' is invalid")]
    [InlineData(Part.Ocpp, "ocpp:\n  stations:\n    - { id: »\"DE?1\", password: \"0123456789abcdef\", name: garage }", "station id 'DE?1' is invalid")]
    [InlineData(Part.Ocpp, "ocpp:\n  stations:\n    - { id: »\"DE#1\", password: \"0123456789abcdef\", name: garage }", "station id 'DE#1' is invalid")]
    [InlineData(Part.Ocpp, "ocpp:\n  stations:\n    - { id: »\"DE 1\", password: \"0123456789abcdef\", name: garage }", "station id 'DE 1' is invalid")]
    [InlineData(Part.Ocpp, "ocpp:\n  max_frame_bytes: »512\n  stations:\n    - { id: E1, password: \"0123456789abcdef\", name: garage }", "ocpp.max_frame_bytes 512 is too small")]
    [InlineData(Part.Ocpp, "ocpp:\n  bind: »my-pc\n  stations:\n    - { id: E1, password: \"0123456789abcdef\", name: garage }", "ocpp.bind 'my-pc' is not an IP address")]
    [InlineData(Part.Wallbox, "wallbox:\n  min_current: »0", "wallbox.min_current 0 A must be above 0")]
    [InlineData(Part.Wallbox, "wallbox:\n  meter_poll_interval: »0s", "wallbox.meter_poll_interval must be positive (is 00:00:00)")]
    [InlineData(Part.Wallbox, "wallbox:\n  evse_id: »0", "wallbox.evse_id 0 is not an EVSE")]
    [InlineData(Part.Mqtt, "mqtt:\n  discovery_prefix: »\"ha/#\"", "mqtt.discovery_prefix 'ha/#' is not a valid topic prefix")]
    [InlineData(Part.Mqtt, "mqtt:\n  reconnect_min_delay: »10s\n  reconnect_max_delay: 5s", "mqtt.reconnect_min_delay (00:00:10) is above mqtt.reconnect_max_delay (00:00:05)")]
    [InlineData(Part.Mqtt, "mqtt:\n  bind: »my-pc", "mqtt.bind must be an IP address such as 127.0.0.1 or 0.0.0.0, got 'my-pc'")]
    [InlineData(Part.Mqtt, "signals:\n  solar: { topic: a/b, json: »\"$.a[\" }", "signals.solar.json: Invalid JSON path '$.a[': missing ']'")]
    [InlineData(Part.History, "signals:\n  solar_power: { topic: a/b }\nhistory:\n  surplus_signal: »solar_pwr", "history.surplus_signal 'solar_pwr' is not a configured signal")]
    [InlineData(Part.History, "history:\n  fixed_price: »-0.3", "history.fixed_price must be a price per kWh of 0 or more (is -0.3)")]
    public async Task What_run_refuses_validate_reports_at_its_key_in_the_same_words(Part part, string section, string message)
    {
        var yaml = (part == Part.Ocpp ? "" : Minimal) + section.Replace("»", "") + "\n";

        var result = ConfigLoader.Parse(yaml, "c.yaml");

        Assert.False(result.Ok);
        var problem = Assert.Single(result.Problems, p => p.Severity == Severity.Error);
        Assert.Equal(message, problem.Message);
        Assert.Equal(PlaceOfMark((part == Part.Ocpp ? "" : Minimal) + section), (problem.Line, problem.Column));

        var refusal = await Assert.ThrowsAsync<ArgumentException>(() => Start(part, result.Config!));
        Assert.Equal(problem.Hint is null ? problem.Message : $"{problem.Message} ({problem.Hint})", refusal.Message);
    }

    /// <summary>1-based line and column of the '»' mark.</summary>
    private static (int, int) PlaceOfMark(string yaml)
    {
        var lines = yaml.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains('»'));
        return (line + 1, lines[line].IndexOf('»') + 1);
    }

    /// <summary>Builds the component as <c>run</c> does, from the loaded config's section.</summary>
    private static async Task Start(Part part, AppConfig config)
    {
        var ocpp = part == Part.Ocpp ? config.Ocpp with { AllowInsecure = true } : ValidOcpp;
        await using var server = new OcppServer(ocpp, null, NullLoggerFactory.Instance, TimeProvider.System);
        if (part == Part.Wallbox)
            await using (new ChargeController("E1", "garage", new OcppWallboxLink(server.Commands, "E1"), config.Wallbox, TimeProvider.System, NullLogger<ChargeController>.Instance)) { }
        if (part == Part.Mqtt)
            await using (new MqttBridge(config.Mqtt, config.Signals, server.States, new ChargeControllers([]), new CurrentRange(), TimeProvider.System, NullLoggerFactory.Instance)) { }
        if (part == Part.History)
        {
            using var signals = new SignalStore(config.Signals.Keys.Select(n => new SignalDefinition(n)), TimeProvider.System);
            await using (new SessionRecorder(config.History, "unused.db", server.States, new ChargeControllers([]), signals, TimeProvider.System, NullLogger<SessionRecorder>.Instance)) { }
        }
    }

    private static readonly OcppOptions ValidOcpp = new()
    {
        AllowInsecure = true,
        Stations = [new StationOptions { Id = "E1", Password = "0123456789abcdef", Name = "garage" }],
    };
}

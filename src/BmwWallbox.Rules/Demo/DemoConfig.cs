using System.Net;
using System.Net.Sockets;
using BmwWallbox.Charging;
using BmwWallbox.Dashboard;
using BmwWallbox.History;
using BmwWallbox.Mqtt;
using BmwWallbox.Ocpp;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Rules.Engine;

namespace BmwWallbox.Rules.Demo;

/// <summary>
/// The demo's config, built in memory: one station, loopback ports, everything under a temp folder.
/// The whole daemon runs on the demo's fast clock, so rule delays (<c>for:</c>) and pacing shrink with it
/// (wanted); timeouts and keep-alives that run on that clock are multiplied by the speed, so they stay
/// as long in real time as in a real installation.
/// </summary>
internal static class DemoConfig
{
    public const string StationId = "DE*BMW*DEMO";
    public const string StationName = "demo";
    /// <summary>Not a secret: the station and the server live in the same process, on loopback.</summary>
    public const string Password = "demo-password-not-secret";
    public const string BaseTopic = "bmw-wallbox";
    public const string SolarTopic = "demo/solar_power";
    public const string HouseTopic = "demo/house_power";
    public const double MaxCurrent = 16;

    /// <summary>Everything the demo puts on MQTT: the bridge's topics, Home Assistant discovery and the demo's own meter values.</summary>
    public static readonly string[] WatchTopics = [$"{BaseTopic}/#", $"{new MqttOptions().DiscoveryPrefix}/#", "demo/#"];

    /// <summary>Builds the config for a run in <paramref name="workDir"/> (data/ and rules/ under it).</summary>
    public static ConfigResult Build(string workDir, DemoOptions options, int mqttPort)
    {
        var speed = options.Speed;
        var config = new AppConfig
        {
            Ocpp = new OcppOptions
            {
                Bind = "127.0.0.1",
                Port = options.Port,
                // Missing files + self_signed: the server generates a dev certificate into data/tls.
                Tls = new TlsOptions { Cert = "tls/cert.pem", Key = "tls/key.pem", SelfSigned = true },
                Stations = [new StationOptions { Id = StationId, Password = Password, Name = StationName }],
                CommandTimeout = new OcppOptions().CommandTimeout * speed,
                HeartbeatInterval = new OcppOptions().HeartbeatInterval * speed,
            },
            Wallbox = new WallboxOptions
            {
                MaxCurrent = MaxCurrent,
                // Power readings once per virtual minute, like the solar samples.
                MeterPollInterval = TimeSpan.FromMinutes(1),
            },
            Mqtt = new MqttOptions
            {
                Port = mqttPort,
                Bind = "127.0.0.1",
                BaseTopic = BaseTopic,
                ReconnectMinDelay = new MqttOptions().ReconnectMinDelay * speed,
                ReconnectMaxDelay = new MqttOptions().ReconnectMaxDelay * speed,
            },
            Signals = new Dictionary<string, SignalOptions>
            {
                [DemoDay.SolarSignal] = new() { Topic = SolarTopic },
                [DemoDay.HouseSignal] = new() { Topic = HouseTopic },
            },
            Rules = new RulesOptions { Dir = "rules" },
            DataDir = "data",
            // The dashboard on any free loopback port (no password: this machine only); the intro prints its URL.
            Http = new HttpOptions { Port = 0 },
            // The demo house has no surplus signal of its own: its solar power stands in for it, and a
            // typical tariff values the rest.
            History = new HistoryOptions { SurplusSignal = DemoDay.SolarSignal, FixedPrice = 0.30 },
        };
        return new ConfigResult(config, [], ConfigFile(workDir));
    }

    private static string ConfigFile(string workDir) => Path.Combine(workDir, "demo-config.yaml");

    /// <summary>
    /// Writes the keys <c>bmw-rules sessions</c> reads (data_dir; the history's defaults) to the demo's config file, so
    /// the history the demo records can be listed while it runs. Returns the file's path.
    /// </summary>
    public static string WriteSessionsConfig(string workDir)
    {
        var path = ConfigFile(workDir);
        File.WriteAllText(path, "# Written by bmw-rules demo, for: bmw-rules sessions --config <this file>\ndata_dir: data\n");
        return path;
    }

    /// <summary>A free loopback port (the embedded broker needs a number up front, it cannot bind port 0).</summary>
    public static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

using BmwWallbox.Charging;
using BmwWallbox.Mqtt;
using BmwWallbox.Ocpp;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Rules.Engine;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Hosting;

/// <summary>
/// All parts of a running bmw-rules, wired in the data-flow order of the README's "How it is built": OCPP server →
/// state → charge controllers ← rules ← signals ← MQTT. Used by <c>run</c>, <c>demo</c> and the
/// end-to-end tests, so they all exercise the same composition.
/// </summary>
internal sealed class Daemon : IAsyncDisposable
{
    private readonly ILogger<Daemon> _logger;
    private readonly ServerCertificate? _certificate;
    private readonly StatusFileWriter _status;
    private bool _stopped;

    private Daemon(ConfigResult config, ILoggerFactory loggers, TimeProvider time)
    {
        var c = config.Config!;
        _logger = loggers.CreateLogger<Daemon>();
        Config = config;
        DataDir = config.Resolve(c.DataDir);
        Directory.CreateDirectory(DataDir);

        if (!c.Ocpp.AllowInsecure)
        {
            var tls = c.Ocpp.Tls with { Cert = config.Resolve(c.Ocpp.Tls.Cert), Key = config.Resolve(c.Ocpp.Tls.Key) };
            _certificate = ServerCertificate.Load(tls, DataDir, loggers.CreateLogger("BmwWallbox.Ocpp.Tls"), time);
        }
        Server = new OcppServer(c.Ocpp, _certificate, loggers, time);
        Controllers = new ChargeControllers(
            c.Ocpp.Stations.Select(s => new ChargeController(s.Id, s.Name, new OcppWallboxLink(Server.Commands, s.Id),
                c.Wallbox, time, loggers.CreateLogger<ChargeController>(), DataDir)),
            Server.States);
        Mqtt = new MqttBridge(c.Mqtt, c.Signals, Server.States, Controllers,
            new CurrentRange(c.Wallbox.MinCurrent, c.Wallbox.MaxCurrent), time, loggers);
        var zone = c.TimeZone.Length > 0 ? TimeZoneInfo.FindSystemTimeZoneById(c.TimeZone) : TimeZoneInfo.Local;
        Rules = new RuleRuntime(c.Rules with { Dir = config.Resolve(c.Rules.Dir) }, Mqtt.Signals, Server.States, Controllers,
            Mqtt.Bus, c.Mqtt.BaseTopic, zone, time, loggers);
        _status = new StatusFileWriter(this, time, loggers.CreateLogger<StatusFileWriter>());
    }

    public ConfigResult Config { get; }
    public string DataDir { get; }
    public OcppServer Server { get; }
    public ChargeControllers Controllers { get; }
    public MqttBridge Mqtt { get; }
    public RuleRuntime Rules { get; }
    public RuleLoadResult? RulesLoaded { get; private set; }
    public bool IsSelfSigned => _certificate?.IsSelfSigned ?? false;

    /// <summary>Builds every part and starts them. Throws with a readable message when something cannot start (port taken: <see cref="PortInUseException"/>, bad certificate).</summary>
    public static async Task<Daemon> StartAsync(ConfigResult config, ILoggerFactory loggers, TimeProvider time, CancellationToken ct)
    {
        var daemon = new Daemon(config, loggers, time);
        var c = config.Config!;
        try
        {
            await PortInUseException.GuardAsync(() => daemon.Server.StartAsync(ct), "OCPP", c.Ocpp.Bind, c.Ocpp.Port, "ocpp.port");
            await PortInUseException.GuardAsync(() => daemon.Mqtt.StartAsync(ct), "MQTT broker", c.Mqtt.Bind, c.Mqtt.Port, "mqtt.port");
            daemon.RulesLoaded = await daemon.Rules.StartAsync(ct);
            daemon._status.Start();
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes status.json now instead of at the next tick (for tests).</summary>
    internal Task WriteStatusAsync() => _status.WriteAsync();

    /// <summary>Stops in reverse order: rules first (no new actions), then MQTT (publishes offline), then the server.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (_stopped) return;
        _stopped = true;
        await _status.StopAsync();
        await Try(() => Rules.StopAsync(ct), "rules");
        await Try(() => Mqtt.StopAsync(ct), "MQTT");
        await Try(async () => await Controllers.DisposeAsync(), "charge controllers");
        await Try(() => Server.StopAsync(ct), "OCPP server");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        await Rules.DisposeAsync();
        await Mqtt.DisposeAsync();
        await Server.DisposeAsync();
        _certificate?.Dispose();
    }

    private async Task Try(Func<Task> stop, string part)
    {
        try { await stop(); }
        catch (Exception e) { _logger.LogWarning(e, "Stopping the {Part} failed", part); }
    }
}

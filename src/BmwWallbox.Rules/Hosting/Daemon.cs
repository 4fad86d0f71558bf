using BmwWallbox.Charging;
using BmwWallbox.Composition;
using BmwWallbox.Core;
using BmwWallbox.Mqtt;
using BmwWallbox.Ocpp;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Rules.Engine;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Hosting;

/// <summary>
/// A running bmw-rules: the core as <see cref="WallboxRuntime"/> wires it, on the TLS OCPP server and the
/// MQTT bridge, plus what only the daemon has (data folder, certificate, status.json). Used by <c>run</c>,
/// <c>demo</c> and the end-to-end tests, so they all exercise the same composition.
/// </summary>
internal sealed class Daemon : IAsyncDisposable
{
    private readonly ServerCertificate? _certificate;
    private readonly StatusFileWriter _status;
    private readonly SessionPublisher? _sessions;
    private bool _stopped;

    private Daemon(ConfigResult config, ILoggerFactory loggers, TimeProvider time)
    {
        var c = config.Config!;
        Config = config;
        DataDir = config.Resolve(c.DataDir);
        Directory.CreateDirectory(DataDir);

        if (!c.Ocpp.AllowInsecure)
        {
            var tls = c.Ocpp.Tls with { Cert = config.Resolve(c.Ocpp.Tls.Cert), Key = config.Resolve(c.Ocpp.Tls.Key) };
            _certificate = ServerCertificate.Load(tls, DataDir, loggers.CreateLogger("BmwWallbox.Ocpp.Tls"), time);
        }
        Server = new OcppServer(c.Ocpp, _certificate, loggers, time);
        Runtime = new WallboxRuntime(RuntimeConfig.Options(config, DataDir), new ListeningServer(Server, c.Ocpp),
            core => new MqttIo(new MqttBridge(c.Mqtt, c.Signals, core.Csms.States, core.Controllers,
                new CurrentRange(c.Wallbox.MinCurrent, c.Wallbox.MaxCurrent), time, loggers), c.Mqtt),
            time, loggers);
        _status = new StatusFileWriter(this, time, loggers.CreateLogger<StatusFileWriter>());
        if (Runtime.History is { } history)
            _sessions = new SessionPublisher(c.Mqtt, history, Runtime.Controllers, Runtime.Io.Bus, c.History.Currency, loggers.CreateLogger<SessionPublisher>());
    }

    public ConfigResult Config { get; }
    public string DataDir { get; }
    public OcppServer Server { get; }
    public WallboxRuntime Runtime { get; }
    public ChargeControllers Controllers => Runtime.Controllers;
    /// <summary>The configured signals as the rules read them (fed by MQTT).</summary>
    public ISignals Signals => Runtime.Signals;
    public RuleRuntime Rules => Runtime.Rules;
    /// <summary>The charging history (data_dir/history.db) the CLI, MQTT and the dashboard read; null when history.enabled is false.</summary>
    public ISessionHistory? History => Runtime.History;
    public RuleLoadResult? RulesLoaded { get; private set; }
    public bool IsSelfSigned => _certificate?.IsSelfSigned ?? false;

    /// <summary>Builds every part and starts them. Throws with a readable message when something cannot start (port taken: <see cref="PortInUseException"/>, bad certificate).</summary>
    public static async Task<Daemon> StartAsync(ConfigResult config, ILoggerFactory loggers, TimeProvider time, CancellationToken ct)
    {
        var daemon = new Daemon(config, loggers, time);
        try
        {
            daemon.RulesLoaded = await daemon.Runtime.StartAsync(ct);
            if (daemon._sessions is { } sessions) await sessions.StartAsync(ct);
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

    /// <summary>Stops status.json, then the core in reverse order: rules, MQTT (publishes offline), controllers, server.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (_stopped) return;
        _stopped = true;
        await _status.StopAsync();
        _sessions?.Dispose();
        await Runtime.StopAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        await Runtime.DisposeAsync();
        _certificate?.Dispose();
    }
}

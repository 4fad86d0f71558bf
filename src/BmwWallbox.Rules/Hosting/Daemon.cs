using BmwWallbox.Charging;
using BmwWallbox.Composition;
using BmwWallbox.Core;
using BmwWallbox.Dashboard;
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
    private readonly CertificateFileWatch? _certificateWatch;
    private readonly StatusFileWriter _status;
    private readonly SessionPublisher? _sessions;
    private readonly PendingStationsPublisher? _pendingList;
    private readonly StationDecisionCommands? _decisions;
    private readonly HeapTrim _heapTrim;
    private bool _stopped;

    private Daemon(ConfigResult config, ILoggerFactory loggers, TimeProvider time, ISessionHistory? history)
    {
        DataDir = config.Resolve(config.Config!.DataDir);
        try
        {
            Directory.CreateDirectory(DataDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // .NET names the path only ("Could not find a part of the path …"); say which setting it is.
            throw new IOException($"data_dir '{DataDir}' cannot be created ({e.Message}). Set data_dir in config.yaml to a folder the user running bmw-rules may write.", e);
        }
        // Unknown stations wait in data_dir (and group members are recorded there); the approved ones are served like configured ones from this start on.
        if (config.Config.Ocpp.KeepsUnknownStations)
        {
            Approvals = new StationApprovals(ApprovedStations.FilePath(DataDir), config.Config.Ocpp.MaxPending);
            config = ApprovedStations.Merge(config, Approvals);
        }
        var c = config.Config!;
        Config = config;

        TlsOptions? tls = null;
        if (!c.Ocpp.AllowInsecure)
        {
            TrustStoreWarmUp.Start();
            tls = config.TlsFiles;
            _certificate = ServerCertificate.Load(tls, DataDir, loggers.CreateLogger("BmwWallbox.Ocpp.Tls"), time);
        }
        Server = new OcppServer(c.Ocpp, _certificate, loggers, time, Approvals, DataDir);
        // A renewed certificate (or real files in place of the development one) is served without a restart.
        if (tls is not null)
            _certificateWatch = new CertificateFileWatch(tls, _certificate!, Server.UseCertificate, loggers.CreateLogger("BmwWallbox.Ocpp.Tls"), time);
        MqttBridge? bridge = null;
        Runtime = new WallboxRuntime(RuntimeConfig.Options(config, DataDir), new ListeningServer(Server, c.Ocpp),
            core => new MqttIo(bridge = new MqttBridge(c.Mqtt, c.Signals, core.Csms.States, core.Controllers,
                new CurrentRange(c.Wallbox.MinCurrent, c.Wallbox.MaxCurrent), time, loggers, planTargets: core.Plans), c.Mqtt),
            time, loggers);
        // The modes are built on the bridge's signals, so they join it after it is made (before it starts).
        bridge!.Modes = Runtime.Modes;
        if (Approvals is not null)
        {
            _pendingList = new PendingStationsPublisher(Approvals, Runtime.Io.Bus, loggers.CreateLogger<PendingStationsPublisher>());
            _decisions = new StationDecisionCommands(Approvals, bridge, loggers.CreateLogger<StationDecisionCommands>());
        }
        _status = new StatusFileWriter(this, time, loggers.CreateLogger<StatusFileWriter>());
        _heapTrim = new HeapTrim(time, loggers.CreateLogger<HeapTrim>());
        History = history ?? Runtime.History;
        if (Runtime.History is { } recorder)
            _sessions = new SessionPublisher(c.Mqtt, recorder, Runtime.Controllers, Runtime.Io.Bus, c.History.Currency, loggers.CreateLogger<SessionPublisher>());
        // The web dashboard reads and steers the same parts.
        if (c.Http.Enabled)
            Dashboard = new DashboardServer(c.Http, new DashboardSources(Server.States, Runtime.Controllers, Runtime.Signals, Runtime.Rules, History,
                c.Wallbox.MinCurrent, c.Wallbox.MaxCurrent, RuntimeConfig.TimeZone(c), Runtime.Modes, Runtime.Charging.Plans,
                () => _certificateWatch?.Serving), time, loggers, https: c.Ocpp.AllowInsecure ? null : Server.HttpsOptions);
    }

    public ConfigResult Config { get; }
    /// <summary>The unknown stations waiting for approval (data_dir/stations.json); null unless ocpp.accept_unknown is pending.</summary>
    public StationApprovals? Approvals { get; }
    public string DataDir { get; }
    public OcppServer Server { get; }
    public WallboxRuntime Runtime { get; }
    public ChargeControllers Controllers => Runtime.Controllers;
    /// <summary>The configured signals as the rules read them (fed by MQTT).</summary>
    public ISignals Signals => Runtime.Signals;
    public RuleRuntime Rules => Runtime.Rules;
    public RuleLoadResult? RulesLoaded { get; private set; }
    public bool IsSelfSigned => _certificate?.IsSelfSigned ?? false;
    /// <summary>The web dashboard; null when http.enabled is false.</summary>
    public DashboardServer? Dashboard { get; }
    /// <summary>The charging history (data_dir/history.db) MQTT and the dashboard read; null when history.enabled is false.</summary>
    public ISessionHistory? History { get; }

    /// <summary>Builds every part and starts them. Throws with a readable message when something cannot start (port taken: <see cref="PortInUseException"/>, bad certificate).</summary>
    /// <param name="history">A history for the dashboard to show instead of the daemon's own (tests); null = the daemon's.</param>
    public static async Task<Daemon> StartAsync(ConfigResult config, ILoggerFactory loggers, TimeProvider time, CancellationToken ct, ISessionHistory? history = null)
    {
        var daemon = new Daemon(config, loggers, time, history);
        var c = config.Config!;
        try
        {
            daemon.RulesLoaded = await daemon.Runtime.StartAsync(ct);
            if (daemon.Dashboard is { } dashboard)
                await PortInUseException.GuardAsync(() => dashboard.StartAsync(ct), "dashboard", c.Http.EffectiveBind, c.Http.Port, "http.port");
            if (daemon._sessions is { } sessions) await sessions.StartAsync(ct);
            daemon._pendingList?.Start();
            daemon._decisions?.Start();
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
        if (Dashboard is not null) await Dashboard.StopAsync(ct);
        _sessions?.Dispose();
        _pendingList?.Dispose();
        _decisions?.Dispose();
        _heapTrim.Dispose();
        await Runtime.StopAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        if (Dashboard is not null) await Dashboard.DisposeAsync();
        await Runtime.DisposeAsync();
        _certificateWatch?.Dispose();
        _certificate?.Dispose();
    }
}

using BmwWallbox.Charging;
using BmwWallbox.Charging.Strategies;
using BmwWallbox.Core;
using BmwWallbox.History;
using BmwWallbox.Ocpp;
using BmwWallbox.Rules.Engine;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Composition;

/// <summary>
/// The core, wired once in the data-flow order of src/README.md: CSMS → state →
/// charge controllers ← rules ← signals ← I/O. <c>run</c>, <c>demo</c>, <c>simulate</c> and the test rigs
/// all build it; they differ only in the transport (TLS server or in-process CSMS), the clock and the
/// I/O (MQTT bridge or memory).
/// </summary>
public sealed class WallboxRuntime : IAsyncDisposable
{
    private readonly ILogger _logger;
    private bool _stopped;

    /// <param name="csms">The transport; the runtime owns it from here on.</param>
    /// <param name="io">Builds the I/O on the charging core; the runtime owns it.</param>
    public WallboxRuntime(WallboxRuntimeOptions options, ICsms csms, Func<ChargingCore, IRuntimeIo> io, TimeProvider time, ILoggerFactory loggers)
    {
        _logger = loggers.CreateLogger<WallboxRuntime>();
        Charging = new ChargingCore(options.Charging, csms, time, loggers);
        Io = io(Charging);
        Signals = options.DerivedSignals.Count > 0 ? new DerivedSignals(Io.Signals, options.DerivedSignals, csms.States) : Io.Signals;
        if (options.Modes is { } modes)
            Modes = new ChargeModes(modes, options.Charging.Wallbox, Charging.Controllers, Signals, csms.States, Charging.Plans,
                options.Charging.ControllerTime ?? time, loggers, options.Charging.ClaimsFolder);
        if (options.History is { Options.Enabled: true } history)
            History = new SessionRecorder(history.Options, history.DatabasePath, csms.States, Charging.Controllers, Signals,
                time, loggers.CreateLogger<SessionRecorder>(), history.SaveInterval);
        Rules = new RuleRuntime(options.Rules, Signals, csms.States, Charging.Controllers, Io.Bus,
            options.TimeZone, time, loggers, options.RuleSwitchesFile, Charging.Plans, Modes, History);
    }

    public ChargingCore Charging { get; }
    public ICsms Csms => Charging.Csms;
    public ChargeControllers Controllers => Charging.Controllers;
    public IRuntimeIo Io { get; }
    /// <summary>The I/O's signals plus the derived ones.</summary>
    public ISignals Signals { get; }
    /// <summary>The charge modes (solar, now, …); null when the run has none.</summary>
    public ChargeModes? Modes { get; }
    /// <summary>The planner behind the plan mode; null when there is none.</summary>
    public IChargePlans? Plans { get; }
    public RuleRuntime Rules { get; }
    /// <summary>The charging history (what the CLI, MQTT and the dashboard read); null when not recorded.</summary>
    public SessionRecorder? History { get; }

    /// <summary>The history (so no session event is missed), the CSMS, then the I/O, then the rules. Returns how the rules loaded; throws when a part cannot start.</summary>
    public async Task<RuleLoadResult> StartAsync(CancellationToken ct)
    {
        History?.Start();
        await Charging.StartAsync(ct);
        await Io.StartAsync(ct);
        Charging.Plans.Start(Io.Bus, Signals);
        Modes?.Start();
        return await Rules.StartAsync(ct);
    }

    /// <summary>In reverse: rules and modes first (no new actions), then the I/O (MQTT publishes offline), then controllers and CSMS, then the history saves its open sessions.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (_stopped) return;
        _stopped = true;
        await StopStep.RunAsync(() => Rules.StopAsync(ct), "rules", _logger);
        if (Modes is not null) await StopStep.RunAsync(async () => await Modes.DisposeAsync(), "charge modes", _logger);
        Charging.Plans.Stop();
        await StopStep.RunAsync(() => Io.StopAsync(ct), "I/O", _logger);
        await Charging.StopAsync(ct);
        if (History is not null) await StopStep.RunAsync(History.StopAsync, "charging history", _logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        await Rules.DisposeAsync();
        await Io.DisposeAsync();
        (Signals as IDisposable)?.Dispose();
        await Charging.DisposeAsync();
        if (History is not null) await History.DisposeAsync();
    }
}

using BmwWallbox.Charging;
using BmwWallbox.Ocpp;
using BmwWallbox.Planning;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Composition;

/// <summary>
/// The CSMS and one charge controller per configured station, each reaching its box through
/// <see cref="OcppWallboxLink"/>, with the station's events routed to it. The charging half of
/// <see cref="WallboxRuntime"/>; the charging integration rig uses it alone.
/// </summary>
public sealed class ChargingCore : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly IReadOnlyList<ChargeController> _controllers;
    private bool _stopped;

    /// <param name="csms">The transport (TLS server or in-process); the core owns it from here on.</param>
    /// <param name="time">The core's clock; the controllers run on <see cref="ChargingCoreOptions.ControllerTime"/> when given.</param>
    public ChargingCore(ChargingCoreOptions options, ICsms csms, TimeProvider time, ILoggerFactory loggers)
    {
        _logger = loggers.CreateLogger<ChargingCore>();
        Csms = csms;
        var controllerTime = options.ControllerTime ?? time;
        var wallbox = options.ControllerWallbox;
        // One logger for all: each made by the factory has its own caches (~0.5 KB, 5 MB at 10,000 stations).
        var controllerLog = loggers.CreateLogger<ChargeController>();
        _controllers = csms.Stations.Select(s => new ChargeController(s.Id, s.Name, new OcppWallboxLink(csms.Commands, s.Id),
            wallbox, controllerTime, controllerLog, options.ClaimsFolder)).ToList();
        // Created before the CSMS takes connections, so no station event goes unrouted.
        Controllers = new ChargeControllers(_controllers, csms.States);
        Plans = new ChargePlans(options.Plan,
            csms.Stations.Select(s => new PlanStation(s.Id, s.Name, wallbox.MinCurrent, wallbox.MaxCurrent, options.WattsPerAmp(s.Name))).ToList(),
            csms.States, options.PlanTimeZone, time, loggers.CreateLogger<ChargePlans>(), options.ClaimsFolder);
    }

    public ICsms Csms { get; }

    public ChargeControllers Controllers { get; }

    /// <summary>The planner behind the plan mode (<see cref="Core.IChargePlans"/>) and its targets (<see cref="Core.IPlanTargets"/>); started by the runtime once the I/O runs.</summary>
    public ChargePlans Plans { get; }

    /// <summary>The controller of a configured station.</summary>
    public ChargeController ControllerOf(string stationId) => _controllers.Single(c => c.StationId == stationId);

    /// <summary>Starts the CSMS.</summary>
    public Task StartAsync(CancellationToken ct) => Csms.StartAsync(ct);

    /// <summary>Controllers first (they send nothing more), then the CSMS. A part that fails to stop is logged; the next still stops.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (_stopped) return;
        _stopped = true;
        Plans.Stop();
        await StopStep.RunAsync(async () => await Controllers.DisposeAsync(), "charge controllers", _logger);
        await StopStep.RunAsync(() => Csms.StopAsync(ct), "OCPP server", _logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        await Csms.DisposeAsync();
        Plans.Dispose();
    }
}

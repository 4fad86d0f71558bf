using BmwWallbox.Charging;
using BmwWallbox.Planning;

namespace BmwWallbox.Composition;

/// <summary>How the charge controllers are made: the same for every station of the CSMS.</summary>
public sealed record ChargingCoreOptions
{
    /// <summary>
    /// The controller asks for meter values every 10 s while charging; a year in virtual time would be
    /// mostly that. Without polling, <c>simulate</c> asks for them itself whenever the car's power changed.
    /// </summary>
    private static readonly TimeSpan NoMeterPolling = TimeSpan.FromDays(3650);

    /// <summary>wallbox: of config.yaml: the safety envelope and how to drive the box.</summary>
    public WallboxOptions Wallbox { get; init; } = new();

    /// <summary>The data folder (data_dir): each controller keeps its manual claims there, the planner its run-time targets (plans.json); null: not kept.</summary>
    public string? ClaimsFolder { get; init; }

    /// <summary>False: no periodic TriggerMessage(MeterValues); whoever runs the core asks for meter values itself.</summary>
    public bool MeterPolling { get; init; } = true;

    /// <summary>
    /// The clock the controllers' timers run on when it is not the core's (the same time seen through
    /// another view: <c>simulate</c> counts their firings to know when a controller may have work).
    /// </summary>
    public TimeProvider? ControllerTime { get; init; }

    /// <summary>plan: of config.yaml: forecasts and standing targets of the planner behind the plan mode.</summary>
    public PlanOptions Plan { get; init; } = new();

    /// <summary>The zone a plan's "by" time is read in (time_zone of config.yaml).</summary>
    public TimeZoneInfo PlanTimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The phases a station (by name) charges on (charging.stations.NAME.phases); null: wallbox.phases for all.</summary>
    public Func<string, int>? PhasesOf { get; init; }

    /// <summary>Watts per amp of charge current for a station (voltage × its phases): the planner's kW ↔ A conversion.</summary>
    internal double WattsPerAmp(string stationName) => Wallbox.Voltage * (PhasesOf?.Invoke(stationName) ?? Wallbox.Phases);

    internal WallboxOptions ControllerWallbox => MeterPolling ? Wallbox : Wallbox with { MeterPollInterval = NoMeterPolling };
}

using BmwWallbox.Core;

namespace BmwWallbox.Charging.Strategies;

/// <summary>
/// The <c>charging:</c> section of config.yaml: the charge mode of the stations and how the solar
/// strategies follow the surplus. The defaults are evcc's PV mode (enable at 0 W for 1 min, disable
/// after 3 min of deficit while holding the minimum current, 30 s between changes).
/// </summary>
public sealed record ModeOptions
{
    /// <summary>off, now, minsolar, solar or plan: the mode of every station without one of its own (and before one is set).</summary>
    public string Mode { get; init; } = "solar";
    /// <summary>The signal with the power the car may take (W, including what the car draws now); see README "Solar and tariff charging".</summary>
    public string Surplus { get; init; } = "surplus";
    /// <summary>
    /// Start once the surplus covers this share of the car's minimum power (0.75: at 3105 of 4140 W the car starts at 6 A,
    /// a quarter of it from the grid). Below 1, the grid energy it takes is the least the minimum current forces, spent where
    /// the surplus nearly covers it (README "How solar follows the surplus"); 1 is evcc's rule.
    /// </summary>
    public double EnableShare { get; init; } = 0.75;
    /// <summary>… plus this many W (negative: start earlier, partly from the grid).</summary>
    public double EnableThreshold { get; init; }
    /// <summary>
    /// … for this long. Short, but not zero: right after a pause the grid meter already shows the car stopped while the
    /// box's meter (polled every wallbox.meter_poll_interval) still reports its old power, so "-grid + charger" shows a
    /// surplus that is not there for a few seconds; a start must outlast that.
    /// </summary>
    public TimeSpan EnableDelay { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>While charging, the minimum current is held as long as the surplus covers this share of the minimum power (1: evcc's rule).</summary>
    public double DisableShare { get; init; } = 0.55;
    /// <summary>Pause once the surplus falls this many W below that (grid import at min current) …</summary>
    public double DisableThreshold { get; init; }
    /// <summary>… for this long; meanwhile the car holds the minimum current.</summary>
    public TimeSpan DisableDelay { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>
    /// Once a dip of a plug-in was over within this long, the next one is held for as long as that one lasted plus
    /// <see cref="DisableDelay"/>, while holding the minimum takes at most <see cref="RideThroughGrid"/> from the grid (0: off).
    /// On a day of quickly passing clouds that saves a cycle per cloud for a little grid energy; long or deep gaps still pause
    /// after the delay.
    /// </summary>
    public TimeSpan RideThrough { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>
    /// … W: a dip in which holding the minimum would take more than this from the grid is not ridden out. 3000 W: on three
    /// phases (4140 W) while the surplus is above 1140 W; on one phase (1380 W) every dip.
    /// </summary>
    public double RideThroughGrid { get; init; } = 3000;

    /// <summary>evcc's PV mode: start at the full minimum power after 1 min, hold it 3 min below (what the defaults were before the shares).</summary>
    public static ModeOptions Evcc { get; } = new() { EnableShare = 1, EnableDelay = TimeSpan.FromMinutes(1), DisableShare = 1, OnePhaseEnableShare = 1, OnePhaseDisableShare = 1, DisableDelay = TimeSpan.FromMinutes(3), RideThrough = TimeSpan.Zero };
    /// <summary>The current follows the surplus at most this often (a pause or start goes out at once).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// auto: on a 3-phase installation, solar and minsolar switch to one phase when the surplus is below the
    /// 3-phase minimum, if the box reports it can (SmartChargingCtrlr.Phases3to1; the BMW box cannot). off: never.
    /// </summary>
    public string PhaseSwitching { get; init; } = "auto";
    /// <summary>
    /// Switching phases: up to three once the surplus beyond the 3-phase minimum power has added up to this many Wh
    /// (solar one phase leaves unused); a switch costs a cycle, so a short peak is not worth one.
    /// </summary>
    public double PhaseUpEnergy { get; init; } = 40;
    /// <summary>… down to one once the grid energy the 3-phase minimum forces has added up to this many Wh.</summary>
    public double PhaseDownEnergy { get; init; } = 30;
    /// <summary>
    /// On a box that switches phases: start (on one phase) once the surplus covers this share of the 1-phase minimum (1380 W).
    /// Lower than <see cref="EnableShare"/>: on a low (winter) day the long stretches of 0.8–1 kW buy more solar per grid kWh
    /// than the dips the one-phase hold rides through (README "Phase switching").
    /// </summary>
    public double OnePhaseEnableShare { get; init; } = 0.6;
    /// <summary>
    /// … and while on one phase, the minimum current is held as long as the surplus covers this share of it. Far below
    /// <see cref="OnePhaseEnableShare"/>: on one phase the gap between starting and pausing would otherwise be a few hundred
    /// watts, which a kettle or a passing cloud crosses, so the car would pause and restart over and over.
    /// </summary>
    public double OnePhaseDisableShare { get; init; } = 0.1;
    /// <summary>Per station (by name): its own mode and phases.</summary>
    public IReadOnlyDictionary<string, StationModeOptions> Stations { get; init; } = new Dictionary<string, StationModeOptions>();

    /// <summary>The modes that follow <see cref="Surplus"/>: without that signal they hold no claim.</summary>
    public static bool NeedsSurplus(ChargeMode mode) => mode is ChargeMode.Solar or ChargeMode.MinSolar;

    /// <summary>The mode of <paramref name="stationName"/> as configured (its own, else the section's).</summary>
    public ChargeMode ModeOf(string stationName)
    {
        var text = Stations.GetValueOrDefault(stationName)?.Mode ?? Mode;
        return ChargeModeText.TryParse(text, out var mode) ? mode : ChargeMode.Solar;
    }

    /// <summary>The phases of <paramref name="stationName"/>: its own, else wallbox.phases.</summary>
    public int PhasesOf(string stationName, WallboxOptions wallbox) => Stations.GetValueOrDefault(stationName)?.Phases ?? wallbox.Phases;

    /// <summary>Whether a station charging on <paramref name="phases"/> may switch phases (the box must also say it can).</summary>
    public bool PhaseSwitchingAllowed(int phases) => phases == 3 && string.Equals(PhaseSwitching, "auto", StringComparison.Ordinal);

    public void Validate() => OptionProblems.ThrowIfAnyError(Problems());

    public IReadOnlyList<OptionProblem> Problems()
    {
        var problems = new List<OptionProblem>();
        var modes = string.Join(", ", ChargeModeText.All);
        if (!ChargeModeText.TryParse(Mode, out _))
            problems.Add(new("charging.mode", $"charging.mode '{Mode}' is not a mode", $"use one of {modes}"));
        if (string.IsNullOrWhiteSpace(Surplus)) problems.Add(new("charging.surplus", "charging.surplus is empty", "the name of the signal with the surplus, e.g. surplus"));
        if (!double.IsFinite(EnableThreshold)) problems.Add(new("charging.enable_threshold", "charging.enable_threshold is not a number"));
        if (!double.IsFinite(DisableThreshold)) problems.Add(new("charging.disable_threshold", "charging.disable_threshold is not a number"));
        if (!double.IsFinite(EnableShare) || EnableShare is < 0 or > 2)
            problems.Add(new("charging.enable_share", $"charging.enable_share must be within 0–2 (is {EnableShare})", "e.g. 0.75: start when the surplus covers 75 % of the car's minimum power; 1: only when it covers all of it"));
        if (!double.IsFinite(DisableShare) || DisableShare is < 0 or > 2)
            problems.Add(new("charging.disable_share", $"charging.disable_share must be within 0–2 (is {DisableShare})", "e.g. 0.55: hold the minimum current while the surplus covers 55 % of it"));
        else if (EnableShare is >= 0 and <= 2 && DisableShare > EnableShare)
            problems.Add(new("charging.disable_share", $"charging.disable_share ({DisableShare}) is above charging.enable_share ({EnableShare})",
                "a session would pause as soon as it started; keep disable_share at or below enable_share"));
        if (!double.IsFinite(OnePhaseEnableShare) || OnePhaseEnableShare is < 0 or > 2)
            problems.Add(new("charging.one_phase_enable_share", $"charging.one_phase_enable_share must be within 0–2 (is {OnePhaseEnableShare})",
                "e.g. 0.6: on a box that switches phases, start on one phase when the surplus covers 60 % of its minimum"));
        if (!double.IsFinite(OnePhaseDisableShare) || OnePhaseDisableShare is < 0 or > 2)
            problems.Add(new("charging.one_phase_disable_share", $"charging.one_phase_disable_share must be within 0–2 (is {OnePhaseDisableShare})",
                "e.g. 0.1: on one phase, hold the minimum current while the surplus covers 10 % of it"));
        else if (OnePhaseEnableShare is >= 0 and <= 2 && OnePhaseDisableShare > OnePhaseEnableShare)
            problems.Add(new("charging.one_phase_disable_share", $"charging.one_phase_disable_share ({OnePhaseDisableShare}) is above charging.one_phase_enable_share ({OnePhaseEnableShare})",
                "a session on one phase would pause as soon as it started; keep it at or below one_phase_enable_share"));
        if (EnableDelay < TimeSpan.Zero) problems.Add(new("charging.enable_delay", $"charging.enable_delay cannot be negative (is {EnableDelay})"));
        if (DisableDelay < TimeSpan.Zero) problems.Add(new("charging.disable_delay", $"charging.disable_delay cannot be negative (is {DisableDelay})"));
        if (RideThrough < TimeSpan.Zero) problems.Add(new("charging.ride_through", $"charging.ride_through cannot be negative (is {RideThrough})", "e.g. 10m; 0 turns it off"));
        if (!double.IsFinite(RideThroughGrid) || RideThroughGrid < 0)
            problems.Add(new("charging.ride_through_grid", $"charging.ride_through_grid must be 0 or more W (is {RideThroughGrid})",
                "e.g. 3000: ride a dip out only while holding the minimum takes at most 3000 W from the grid"));
        if (PhaseSwitching is not ("auto" or "off"))
            problems.Add(new("charging.phase_switching", $"charging.phase_switching '{PhaseSwitching}' is not auto or off",
                "auto: switch to one phase on low surplus where the box can (not the BMW box); off: never"));
        if (!double.IsFinite(PhaseUpEnergy) || PhaseUpEnergy < 0)
            problems.Add(new("charging.phase_up_energy", $"charging.phase_up_energy must be 0 or more Wh (is {PhaseUpEnergy})",
                "e.g. 60: switch up once the surplus beyond the 3-phase minimum has added up to 60 Wh"));
        if (!double.IsFinite(PhaseDownEnergy) || PhaseDownEnergy < 0)
            problems.Add(new("charging.phase_down_energy", $"charging.phase_down_energy must be 0 or more Wh (is {PhaseDownEnergy})",
                "e.g. 30: switch down once the grid energy the 3-phase minimum forces has added up to 30 Wh"));
        if (Interval <= TimeSpan.Zero) problems.Add(new("charging.interval", $"charging.interval must be positive (is {Interval})", "e.g. 30s"));
        foreach (var (name, station) in Stations)
        {
            if (station.Mode is { } mode && !ChargeModeText.TryParse(mode, out _))
                problems.Add(new($"charging.stations.{name}.mode", $"charging.stations.{name}.mode '{mode}' is not a mode", $"use one of {modes}"));
            if (station.Phases is { } phases && phases is not (1 or 2 or 3))
                problems.Add(new($"charging.stations.{name}.phases", $"charging.stations.{name}.phases {phases} is not 1, 2 or 3"));
        }
        return problems;
    }
}

/// <summary>One entry of <c>charging.stations</c>: what differs for this station.</summary>
public sealed record StationModeOptions
{
    /// <summary>This station's mode; null: charging.mode.</summary>
    public string? Mode { get; init; }
    /// <summary>Phases this station's installation charges on; null: wallbox.phases.</summary>
    public int? Phases { get; init; }
}

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
    /// <summary>Start once the surplus exceeds the car's minimum power by this many W (negative: start earlier, partly from the grid).</summary>
    public double EnableThreshold { get; init; }
    /// <summary>… for this long.</summary>
    public TimeSpan EnableDelay { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>Pause once the surplus falls this many W below the car's minimum power (grid import at min current) …</summary>
    public double DisableThreshold { get; init; }
    /// <summary>… for this long; meanwhile the car holds the minimum current.</summary>
    public TimeSpan DisableDelay { get; init; } = TimeSpan.FromMinutes(3);
    /// <summary>The current follows the surplus at most this often (a pause or start goes out at once).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// auto: on a 3-phase installation, solar and minsolar switch to one phase when the surplus is below the
    /// 3-phase minimum, if the box reports it can (SmartChargingCtrlr.Phases3to1; the BMW box cannot). off: never.
    /// </summary>
    public string PhaseSwitching { get; init; } = "auto";
    /// <summary>Per station (by name): its own mode and phases.</summary>
    public IReadOnlyDictionary<string, StationModeOptions> Stations { get; init; } = new Dictionary<string, StationModeOptions>();

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
        if (EnableDelay < TimeSpan.Zero) problems.Add(new("charging.enable_delay", $"charging.enable_delay cannot be negative (is {EnableDelay})"));
        if (DisableDelay < TimeSpan.Zero) problems.Add(new("charging.disable_delay", $"charging.disable_delay cannot be negative (is {DisableDelay})"));
        if (PhaseSwitching is not ("auto" or "off"))
            problems.Add(new("charging.phase_switching", $"charging.phase_switching '{PhaseSwitching}' is not auto or off",
                "auto: switch to one phase on low surplus where the box can (not the BMW box); off: never"));
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

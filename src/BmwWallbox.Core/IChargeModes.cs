namespace BmwWallbox.Core;

/// <summary>
/// The charge mode of every station (<see cref="ChargeMode"/>): read and set by MQTT, Home Assistant,
/// rules and scripts. The mode itself acts as a claim on the station's controller (source <c>mode solar</c> …).
/// </summary>
public interface IChargeModes
{
    /// <summary>The mode of a station by id or name; null when the station is unknown.</summary>
    ChargeMode? ModeOf(string stationIdOrName);

    /// <summary>Switch a station's mode (kept across restarts). Refused when the mode cannot work (e.g. solar without a surplus signal).</summary>
    Task<ActionResult> SetModeAsync(string stationIdOrName, ChargeMode mode, string source, CancellationToken ct = default);

    /// <summary>
    /// Why a station's mode holds no claim although it should (solar without a surplus signal), for a person
    /// wondering why the car charges anyway; null when the mode works (or the station is unknown).
    /// </summary>
    string? InactiveReason(string stationIdOrName) => null;

    /// <summary>The installation behind a station's watt ↔ ampere conversions; null when the station is unknown.</summary>
    Installation? InstallationOf(string stationIdOrName);

    /// <summary>Raised with the station id after its mode changed. Handlers must not block.</summary>
    event Action<string, ChargeMode>? ModeChanged;
}

/// <summary>A station's installation as the modes convert with it: W = A × V × phases, within [min, max] A.</summary>
public sealed record Installation(int Phases, double Voltage, double MinCurrent, double MaxCurrent);

/// <summary>The words of the modes as users write them (config, MQTT, rules): off, now, minsolar, solar, plan.</summary>
public static class ChargeModeText
{
    public static readonly string[] All = ["off", "now", "minsolar", "solar", "plan"];

    public static string Of(ChargeMode mode) => mode switch
    {
        ChargeMode.Off => "off",
        ChargeMode.Now => "now",
        ChargeMode.MinSolar => "minsolar",
        ChargeMode.Solar => "solar",
        ChargeMode.Plan => "plan",
        _ => mode.ToString().ToLowerInvariant(),
    };

    /// <summary>Case and surrounding blanks do not matter; "min_solar"/"min-solar" read as minsolar.</summary>
    public static bool TryParse(string? text, out ChargeMode mode)
    {
        var word = (text ?? "").Trim().ToLowerInvariant().Replace("_", "").Replace("-", "");
        var index = Array.IndexOf(All, word);
        mode = index < 0 ? default : (ChargeMode)index;
        return index >= 0;
    }
}

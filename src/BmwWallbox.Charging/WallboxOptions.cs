using BmwWallbox.Core;

namespace BmwWallbox.Charging;

/// <summary>The <c>wallbox:</c> section of config.yaml: the safety envelope and how to drive the box.</summary>
public sealed record WallboxOptions
{
    /// <summary>Lowest current a car charges at. A request between 0 and this becomes 0 (pause).</summary>
    public double MinCurrent { get; init; } = 6;
    /// <summary>Highest current ever sent; the limit with no claim at all.</summary>
    public double MaxCurrent { get; init; } = 32;
    /// <summary>Whether a Reset (reboot) may be used as the last resort.</summary>
    public bool AllowReboot { get; init; } = true;
    /// <summary>Minimum time between two reboots.</summary>
    public TimeSpan RebootMinInterval { get; init; } = TimeSpan.FromMinutes(30);
    public int EvseId { get; init; } = 1;
    /// <summary>Id token used for RequestStartTransaction.</summary>
    public string IdToken { get; init; } = "bmw-rules";
    /// <summary>How often TriggerMessage(MeterValues) is sent while a transaction runs.</summary>
    public TimeSpan MeterPollInterval { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Minimum time between two profile changes that raise the limit (lowering goes out at once). Rules and strategies only: a person's change goes out at once.</summary>
    public TimeSpan MinChangeInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>At most this many pause → resume cycles by rules and strategies per rolling hour; further resumes wait. A person's are not counted.</summary>
    public int MaxPauseCyclesPerHour { get; init; } = 6;
    /// <summary>
    /// A Manual claim given without an expiry ends after this long (a forgotten override must not
    /// hold for ever). <see cref="TimeSpan.Zero"/> = no time limit.
    /// </summary>
    public TimeSpan ManualClaimDuration { get; init; } = TimeSpan.FromHours(12);
    /// <summary>A Manual claim given without an expiry also ends when the car is unplugged.</summary>
    public bool ManualClaimEndsOnUnplug { get; init; } = true;
    /// <summary>After a Reset, ControlState.Rebooting stays true until the box boots again or this passes.</summary>
    public TimeSpan RebootTimeout { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>Phases the installation charges on (1 or 3): every watt ↔ ampere conversion uses it (W = A × V × phases).</summary>
    public int Phases { get; init; } = 3;
    /// <summary>Phase voltage of the installation, for watt ↔ ampere conversions.</summary>
    public double Voltage { get; init; } = 230;

    /// <summary>Throws <see cref="ArgumentException"/> with every error of <see cref="Problems"/>.</summary>
    public void Validate() => OptionProblems.ThrowIfAnyError(Problems());

    /// <summary>
    /// Every setting that makes no sense, at its config.yaml key: the one list both <c>validate</c> and
    /// the <see cref="ChargeController"/> constructor use, so what one accepts the other starts with.
    /// </summary>
    public IReadOnlyList<OptionProblem> Problems()
    {
        var problems = new List<OptionProblem>();
        void Add(string key, string message, string? hint = null, Severity severity = Severity.Error) =>
            problems.Add(new OptionProblem(key, message, hint, severity));

        // A car cannot be asked for 0 A: 0 is how a pause is sent, so the lowest current must be above it.
        if (!double.IsFinite(MinCurrent) || MinCurrent <= 0)
            Add("wallbox.min_current", $"wallbox.min_current {MinCurrent} A must be above 0", "IEC 61851 cars charge from 6 A; a pause is sent as 0 A anyway");
        if (!double.IsFinite(MaxCurrent) || MaxCurrent <= 0 || MaxCurrent > 80)
            Add("wallbox.max_current", $"wallbox.max_current {MaxCurrent} A is out of range", "a BMW box is 16 A (three-phase) or 32 A (single-phase)");
        if (MinCurrent > MaxCurrent) Add("wallbox.min_current", $"wallbox.min_current ({MinCurrent} A) is above max_current ({MaxCurrent} A)", "lower wallbox.min_current or raise wallbox.max_current");
        else if (MinCurrent is > 0 and < 6) Add("wallbox.min_current", $"wallbox.min_current {MinCurrent} A is below 6 A", "IEC 61851 cars do not charge below 6 A", Severity.Warning);
        if (EvseId < 1) Add("wallbox.evse_id", $"wallbox.evse_id {EvseId} is not an EVSE", "OCPP numbers EVSEs from 1; a BMW box has one, evse_id 1");
        if (string.IsNullOrWhiteSpace(IdToken)) Add("wallbox.id_token", "wallbox.id_token is empty", "the box needs an id token to start a transaction, e.g. bmw-rules");
        if (MeterPollInterval <= TimeSpan.Zero) Add("wallbox.meter_poll_interval", $"wallbox.meter_poll_interval must be positive (is {MeterPollInterval})", "e.g. 10s");
        if (MinChangeInterval < TimeSpan.Zero) Add("wallbox.min_change_interval", $"wallbox.min_change_interval cannot be negative (is {MinChangeInterval})");
        if (MaxPauseCyclesPerHour < 1) Add("wallbox.max_pause_cycles_per_hour", "wallbox.max_pause_cycles_per_hour must be at least 1");
        if (RebootMinInterval < TimeSpan.Zero) Add("wallbox.reboot_min_interval", $"wallbox.reboot_min_interval cannot be negative (is {RebootMinInterval})");
        if (ManualClaimDuration < TimeSpan.Zero) Add("wallbox.manual_claim_duration", $"wallbox.manual_claim_duration cannot be negative (is {ManualClaimDuration})", "0s = no time limit");
        if (Phases is not (1 or 2 or 3)) Add("wallbox.phases", $"wallbox.phases {Phases} is not 1, 2 or 3", "3 for a three-phase installation, 1 for a single-phase one");
        if (!double.IsFinite(Voltage) || Voltage < 100 || Voltage > 300) Add("wallbox.voltage", $"wallbox.voltage {Voltage} V is not a phase voltage", "230 in Europe");
        if (RebootTimeout <= TimeSpan.Zero) Add("wallbox.reboot_timeout", $"wallbox.reboot_timeout must be positive (is {RebootTimeout})", "e.g. 2m");
        return problems;
    }
}

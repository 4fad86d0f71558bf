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

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that makes no sense.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message);
        }
        Require(double.IsFinite(MinCurrent) && MinCurrent > 0, $"wallbox.min_current must be > 0 (is {MinCurrent})");
        Require(double.IsFinite(MaxCurrent) && MaxCurrent >= MinCurrent, $"wallbox.max_current must be >= wallbox.min_current (is {MaxCurrent})");
        Require(EvseId > 0, $"wallbox.evse_id must be > 0 (is {EvseId})");
        Require(!string.IsNullOrWhiteSpace(IdToken), "wallbox.id_token must not be empty");
        Require(MeterPollInterval > TimeSpan.Zero, $"wallbox.meter_poll_interval must be > 0 (is {MeterPollInterval})");
        Require(MinChangeInterval >= TimeSpan.Zero, $"wallbox.min_change_interval must be >= 0 (is {MinChangeInterval})");
        Require(MaxPauseCyclesPerHour >= 1, $"wallbox.max_pause_cycles_per_hour must be >= 1 (is {MaxPauseCyclesPerHour})");
        Require(RebootMinInterval >= TimeSpan.Zero, $"wallbox.reboot_min_interval must be >= 0 (is {RebootMinInterval})");
        Require(ManualClaimDuration >= TimeSpan.Zero, $"wallbox.manual_claim_duration must be >= 0 (is {ManualClaimDuration})");
        Require(RebootTimeout > TimeSpan.Zero, $"wallbox.reboot_timeout must be > 0 (is {RebootTimeout})");
    }
}

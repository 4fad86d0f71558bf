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
    /// <summary>Minimum time between two profile changes that raise the limit (lowering goes out at once).</summary>
    public TimeSpan MinChangeInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>At most this many pause → resume cycles per rolling hour; further resumes wait.</summary>
    public int MaxPauseCyclesPerHour { get; init; } = 6;
}

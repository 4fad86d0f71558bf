namespace BmwWallbox.Core;

/// <summary>
/// Rule claims are arbitrated among themselves; a Manual claim (a person via MQTT, CLI, HA)
/// outranks every rule claim until it is released, expires or the car is unplugged.
/// </summary>
public enum ClaimKind { Rule, Manual }

/// <summary>A request to hold a current limit. 0 A means pause.</summary>
/// <param name="Phases">The phases the car should charge on (1 or 3) when the box can switch during a
/// transaction; null: the installation's. Only the charge modes ask for it (README, "Phase switching").</param>
public sealed record ClaimRequest(
    string Source,
    double Amps,
    ClaimKind Kind = ClaimKind.Rule,
    DateTimeOffset? ExpiresAt = null,
    bool EndsOnUnplug = false,
    string? Reason = null,
    int? Phases = null);

/// <summary>A claim as held by the controller (Amps already clamped to the envelope).</summary>
public sealed record Claim(
    string Source,
    double Amps,
    ClaimKind Kind,
    DateTimeOffset Since,
    DateTimeOffset? ExpiresAt,
    bool EndsOnUnplug,
    string? Reason,
    int? Phases = null);

/// <summary>The controller's view: what the box should be at, why, and what it is at.</summary>
public sealed record ControlState(
    string StationId,
    double EffectiveLimit,
    /// <summary>The claim source that sets the limit, or "default" (max_current, no claim).</summary>
    string LimitSource,
    double? AppliedLimit,
    bool Rebooting,
    IReadOnlyList<Claim> Claims,
    ActionResult? LastRejected = null,
    /// <summary>The phases the box was told to charge on (numberPhases); null while phases are not switched on this box.</summary>
    int? Phases = null,
    /// <summary>Whether this box switches phases: unknown until asked, then supported, unsupported or refused.</summary>
    PhaseSwitchingSupport PhaseSwitching = PhaseSwitchingSupport.Unknown)
{
    public bool Paused => EffectiveLimit == 0;
}

/// <summary>
/// What the box said about 1-phase/3-phase switching during a transaction (device model
/// <c>SmartChargingCtrlr.Phases3to1</c>), or that it refused a profile with <c>numberPhases</c>.
/// </summary>
public enum PhaseSwitchingSupport { Unknown, Supported, Unsupported, Refused }

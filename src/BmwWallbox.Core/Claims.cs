namespace BmwWallbox.Core;

/// <summary>
/// Rule claims are arbitrated among themselves; a Manual claim (a person via MQTT, CLI, HA)
/// outranks every rule claim until it is released, expires or the car is unplugged.
/// </summary>
public enum ClaimKind { Rule, Manual }

/// <summary>A request to hold a current limit. 0 A means pause.</summary>
public sealed record ClaimRequest(
    string Source,
    double Amps,
    ClaimKind Kind = ClaimKind.Rule,
    DateTimeOffset? ExpiresAt = null,
    bool EndsOnUnplug = false,
    string? Reason = null);

/// <summary>A claim as held by the controller (Amps already clamped to the envelope).</summary>
public sealed record Claim(
    string Source,
    double Amps,
    ClaimKind Kind,
    DateTimeOffset Since,
    DateTimeOffset? ExpiresAt,
    bool EndsOnUnplug,
    string? Reason);

/// <summary>The controller's view: what the box should be at, why, and what it is at.</summary>
public sealed record ControlState(
    string StationId,
    double EffectiveLimit,
    /// <summary>The claim source that sets the limit, or "default" (max_current, no claim).</summary>
    string LimitSource,
    double? AppliedLimit,
    bool Rebooting,
    IReadOnlyList<Claim> Claims,
    ActionResult? LastRejected = null)
{
    public bool Paused => EffectiveLimit == 0;
}

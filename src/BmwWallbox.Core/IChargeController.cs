namespace BmwWallbox.Core;

/// <summary>
/// The only way anything above the protocol layer acts on a wallbox. Every call passes the
/// safety envelope; none of them can send RequestStopTransaction except <see cref="StopAsync"/>.
/// </summary>
public interface IChargeController
{
    string StationId { get; }
    /// <summary>Topic-safe station name.</summary>
    string Name { get; }
    ControlState Control { get; }

    /// <summary>Hold (or replace) the claim of <see cref="ClaimRequest.Source"/>. 0 A = pause.</summary>
    Task<ActionResult> ClaimAsync(ClaimRequest claim, CancellationToken ct = default);

    /// <summary>Drop the claim of <paramref name="source"/>, if any.</summary>
    Task<ActionResult> ReleaseAsync(string source, CancellationToken ct = default);

    /// <summary>Resume a transaction if one exists, otherwise RequestStartTransaction; reboot as last resort if allowed.</summary>
    Task<ActionResult> StartAsync(string source, CancellationToken ct = default);

    /// <summary>RequestStopTransaction. On the BMW box this cannot be resumed remotely (quirk 10).</summary>
    Task<ActionResult> StopAsync(string source, CancellationToken ct = default);

    /// <summary>Reset Immediate, rate-limited, refused when wallbox.allow_reboot is false.</summary>
    Task<ActionResult> RebootAsync(string source, CancellationToken ct = default);

    /// <summary>Raised after every change of <see cref="Control"/>. Handlers must not block.</summary>
    event Action<ControlState>? ControlChanged;
}

/// <summary>The verbs users know, expressed as claims.</summary>
public static class ChargeControllerVerbs
{
    public static Task<ActionResult> PauseAsync(this IChargeController c, string source, ClaimKind kind = ClaimKind.Rule, string? reason = null, CancellationToken ct = default)
        => c.ClaimAsync(new ClaimRequest(source, 0, kind, Reason: reason), ct);

    public static Task<ActionResult> SetCurrentAsync(this IChargeController c, string source, double amps, ClaimKind kind = ClaimKind.Rule, string? reason = null, CancellationToken ct = default)
        => c.ClaimAsync(new ClaimRequest(source, amps, kind, Reason: reason), ct);

    /// <summary>Resume = release the source's pause; the limit returns to what the other claims allow.</summary>
    public static Task<ActionResult> ResumeAsync(this IChargeController c, string source, CancellationToken ct = default)
        => c.ReleaseAsync(source, ct);
}

/// <summary>The controllers of all configured stations.</summary>
public interface IChargeControllers
{
    IReadOnlyList<IChargeController> All { get; }
    /// <summary>By station id or by name; null when unknown.</summary>
    IChargeController? Find(string stationIdOrName);
}

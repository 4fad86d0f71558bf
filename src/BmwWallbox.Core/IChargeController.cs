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

    /// <summary>
    /// The claim source of a person's pause. It is held apart from the person's current claim
    /// (source <paramref name="person"/>), so the two are independent and a resume brings the current back.
    /// </summary>
    public static string PauseSourceOf(string person) => person + ":pause";

    /// <summary>A person's pause: a manual 0 A claim of its own; the person's current claim stays.</summary>
    public static Task<ActionResult> PauseByPersonAsync(this IChargeController c, string person, string? reason = null, CancellationToken ct = default)
        => c.ClaimAsync(new ClaimRequest(PauseSourceOf(person), 0, ClaimKind.Manual, Reason: reason), ct);

    /// <summary>
    /// A person's resume: lifts their pause, so their own current (if any) applies again. With no
    /// pause held it ends their override altogether (their current claim), handing back to the rules.
    /// </summary>
    public static Task<ActionResult> ResumeByPersonAsync(this IChargeController c, string person, CancellationToken ct = default)
    {
        var pause = PauseSourceOf(person);
        return c.ReleaseAsync(c.Control.Claims.Any(claim => claim.Source == pause) ? pause : person, ct);
    }

    /// <summary>
    /// A person's "charge now": a manual claim at <paramref name="maxAmps"/> that beats rule pauses until unplug
    /// or resume, then start (or resume) the transaction; the start drops the person's pause.
    /// </summary>
    public static async Task<ActionResult> ChargeNowByPersonAsync(this IChargeController c, string person, double maxAmps, CancellationToken ct = default)
    {
        var claim = await c.ClaimAsync(new ClaimRequest(person, maxAmps, ClaimKind.Manual, EndsOnUnplug: true, Reason: "charge now"), ct);
        if (!claim.Ok) return claim;
        return await c.StartAsync(person, ct);
    }
}

/// <summary>The controllers of all configured stations.</summary>
public interface IChargeControllers
{
    IReadOnlyList<IChargeController> All { get; }
    /// <summary>By station id or by name; null when unknown.</summary>
    IChargeController? Find(string stationIdOrName);
}

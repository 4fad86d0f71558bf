using BmwWallbox.Core;

namespace BmwWallbox.Charging;

/// <summary>
/// The limit the claims ask for, the source that sets it, and the phases the rule claims ask for (null: none asks);
/// <paramref name="CapWithoutPhases"/>: the lowest ruling claim that asks for no phases (rule caps; null: none).
/// </summary>
internal sealed record Arbitration(double Limit, string Source, int? Phases = null, double? CapWithoutPhases = null);

/// <summary>
/// The claims held on one station and how they combine: the minimum of the active claims, where
/// Manual claims (people) outrank Rule claims — while any Manual claim is active only Manual
/// claims count. With no claim the limit is the default (max current). Not thread-safe: the
/// controller touches it from its single worker only.
/// </summary>
internal sealed class ClaimBook
{
    public const string DefaultSource = "default";

    private readonly Dictionary<string, Claim> _claims = new(StringComparer.Ordinal);

    /// <summary>Oldest first (the tie-break order).</summary>
    public IReadOnlyList<Claim> All => _claims.Values.OrderBy(c => c.Since).ThenBy(c => c.Source, StringComparer.Ordinal).ToArray();

    public IEnumerable<Claim> Manual => All.Where(c => c.Kind == ClaimKind.Manual);

    public Claim? Get(string source) => _claims.GetValueOrDefault(source);

    /// <summary>Add or replace the claim of its source.</summary>
    public void Put(Claim claim) => _claims[claim.Source] = claim;

    public Claim? Remove(string source) => _claims.Remove(source, out var removed) ? removed : null;

    public IReadOnlyList<Claim> RemoveExpired(DateTimeOffset now) => RemoveWhere(c => c.ExpiresAt <= now);

    public IReadOnlyList<Claim> RemoveEndingOnUnplug() => RemoveWhere(c => c.EndsOnUnplug);

    public DateTimeOffset? NextExpiry => _claims.Values.Min(c => c.ExpiresAt);

    /// <summary>
    /// Lowest claim of the ruling kind; ties go to the oldest claim (then by source name). The phases are the
    /// fewest any rule claim asks for (in practice the charge mode's), so a rule's cap keeps the mode's phases;
    /// while a person rules, none (the installation's phases: a person's current means what it says).
    /// </summary>
    public Arbitration Arbitrate(double defaultLimit)
    {
        var all = All;
        var ruling = all.Any(c => c.Kind == ClaimKind.Manual) ? all.Where(c => c.Kind == ClaimKind.Manual) : all;
        Claim? lowest = null;
        foreach (var claim in ruling)
        {
            if (lowest is null || claim.Amps < lowest.Amps) lowest = claim;
        }
        var manual = all.Any(c => c.Kind == ClaimKind.Manual);
        var phases = manual ? null : all.Where(c => c.Phases is not null).Min(c => c.Phases);
        double? caps = phases is null ? null : ruling.Where(c => c.Phases is null).Select(c => (double?)c.Amps).Min();
        return lowest is null ? new(defaultLimit, DefaultSource, phases) : new(Math.Min(lowest.Amps, defaultLimit), lowest.Source, phases, caps);
    }

    private IReadOnlyList<Claim> RemoveWhere(Func<Claim, bool> predicate)
    {
        var removed = _claims.Values.Where(predicate).ToArray();
        foreach (var claim in removed) _claims.Remove(claim.Source);
        return removed;
    }
}

using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging;

/// <summary>Keeping the box at the effective limit: pacing.</summary>
public sealed partial class ChargeController
{
    private async Task ReconcileAndLogAsync(string why, bool force, CancellationToken stop)
    {
        var applied = await ReconcileAsync(force, stop);
        var level = applied.Outcome is ActionOutcome.Accepted or ActionOutcome.NotConnected ? LogLevel.Information : LogLevel.Warning;
        _log.Log(level, "{StationId}: {Why}: {Outcome}: {Message}", StationId, why, applied.Outcome, applied.Message);
    }

    /// <summary>
    /// Bring the box towards the effective limit. A lower limit goes out at once; a raise may be
    /// held (rate limit, pause-cycle cap) and is then scheduled. <paramref name="force"/> re-sends
    /// the limit even when the box already accepted it (quirk 4). A change a person made
    /// (<paramref name="byPerson"/>) goes out at once and does not count as a pause/resume cycle:
    /// pacing is there to keep automation from jerking the car around, not to second-guess a person.
    /// </summary>
    private async Task<ApplyResult> ReconcileAsync(bool force, CancellationToken stop, bool byPerson = false)
    {
        var ruling = _claims.Arbitrate();
        var target = ruling.Limit;
        if (_box is not { Connected: true })
            return new(ActionOutcome.NotConnected, $"Wallbox not connected; limit {A(target)} A ({ruling.Source}) goes out when it connects");

        var now = _time.GetUtcNow();
        var from = _applied;
        var send = target;
        string? held = null;
        if (!byPerson && _gate.Check(from, target, now) is { NotBefore: { } due } decision)
        {
            send = from!.Value;
            var wait = due - now;
            held = decision.Reason == HoldReason.PauseCycleCap
                ? $"resume to {A(target)} A deferred {Math.Ceiling(wait.TotalMinutes)} min (at most {_options.MaxPauseCyclesPerHour} pause/resume cycles per hour); stays at {A(send)} A"
                : $"raised to {A(target)} A in {Math.Ceiling(wait.TotalSeconds)} s (rate limit); {A(send)} A until then";
            _raiseTimer.Change(wait, Timeout.InfiniteTimeSpan);
        }

        if (!force && send == from)
            return ApplyResult.Ok(held ?? $"limit {A(target)} A ({ruling.Source}) already applied");

        var sent = await _profiles.SendAsync(send, stop);
        if (!sent.OnBox) return sent;
        _gate.Record(from, send, _time.GetUtcNow(), countsAsCycle: !byPerson);
        _applied = send;
        return ApplyResult.Ok(held ?? $"limit {A(send)} A ({ruling.Source}) {sent.Message}");
    }
}

using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging;

/// <summary>Keeping the box at the effective limit: pacing and the profile strategy.</summary>
public sealed partial class ChargeController
{
    // Worker-only state of the profile strategy.
    private bool _txDefaultRefused;
    private bool _txProfileMayExist = true; // a TxProfile of ours may linger from before (another connection or process)

    /// <summary>What bringing the box to the effective limit did, in words.</summary>
    /// <param name="OnBox">True when the box accepted a profile with the limit.</param>
    private sealed record Applied(ActionOutcome Outcome, string Message, bool OnBox = false)
    {
        public static Applied Ok(string message) => new(ActionOutcome.Accepted, message);
        public static Applied Sent(string message) => new(ActionOutcome.Accepted, message, OnBox: true);
    }

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
    private async Task<Applied> ReconcileAsync(bool force, CancellationToken stop, bool byPerson = false)
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
            return Applied.Ok(held ?? $"limit {A(target)} A ({ruling.Source}) already applied");

        var sent = await SendLimitAsync(send, stop);
        if (!sent.OnBox) return sent;
        _gate.Record(from, send, _time.GetUtcNow(), countsAsCycle: !byPerson);
        _applied = send;
        return Applied.Ok(held ?? $"limit {A(send)} A ({ruling.Source}) {sent.Message}");
    }

    /// <summary>
    /// The profile strategy (quirks 3–7): a TxDefaultProfile with a fixed id on the EVSE, replaced in
    /// place, so the limit also holds for the first minutes of the next session; when the box
    /// refuses it, a TxProfile bound to the live transaction; when it refuses that too, the reboot
    /// fallback (if allowed) and a clear report.
    /// </summary>
    private async Task<Applied> SendLimitAsync(double limit, CancellationToken stop)
    {
        LinkResult? defaultRefusal = null;
        if (!_txDefaultRefused)
        {
            var answer = await SetProfileAsync(ProfilePurpose.TxDefaultProfile, limit, null, stop);
            if (answer.IsAccepted)
            {
                await ClearStaleTxProfileAsync(stop);
                return Applied.Sent("applied");
            }
            if (answer.Outcome != LinkOutcome.Rejected) return FromLinkFailure(answer);
            _txDefaultRefused = true;
            defaultRefusal = answer;
            _log.LogInformation("{StationId}: TxDefaultProfile rejected ({Reason}); falling back to a TxProfile on the live transaction", StationId, answer.Reason);
        }

        if (_box?.Transaction is not { IsActive: true } tx)
        {
            if (defaultRefusal is null)
                return Applied.Ok($"{A(limit)} A goes out as a TxProfile when a transaction starts (the box refuses TxDefaultProfile)");
            return new(ActionOutcome.Rejected, RecordRejection(
                $"SetChargingProfile rejected: TxDefaultProfile {defaultRefusal.Reason}; {A(limit)} A goes out as a TxProfile when a transaction starts"));
        }

        // Quirk 9: a TxProfile for a stale transaction id is rejected; wait for the box's report.
        if (_liveTransaction.HoldTxProfile())
        {
            return Applied.Ok($"{A(limit)} A goes out as a TxProfile once the box has reported its live transaction");
        }

        var txAnswer = await SetProfileAsync(ProfilePurpose.TxProfile, limit, tx.Id, stop);
        if (txAnswer.IsAccepted)
        {
            _txProfileMayExist = true;
            return Applied.Sent($"applied as TxProfile on transaction {tx.Id}");
        }
        if (txAnswer.Outcome != LinkOutcome.Rejected) return FromLinkFailure(txAnswer);

        // The box refuses every profile on a running transaction (quirk 7): only a reboot helps.
        var text = RecordRejection($"SetChargingProfile rejected: {txAnswer.Reason}");
        text += await _reboots.LastResortAsync($"profiles refused on transaction {tx.Id}", stop);
        return new(ActionOutcome.Rejected, text);
    }

    private Task<LinkResult> SetProfileAsync(ProfilePurpose purpose, double limit, string? transactionId, CancellationToken stop)
    {
        var id = purpose == ProfilePurpose.TxDefaultProfile ? TxDefaultProfileId : TxProfileId;
        var profile = new ChargeProfile(id, purpose, SafetyEnvelope.Round(limit), transactionId);
        return _commands.SetChargingProfileAsync(profile, stop);
    }

    /// <summary>
    /// A TxProfile of ours would override the TxDefaultProfile just accepted; remove it.
    /// Unknown (nothing to clear) is the normal answer (quirk 6).
    /// </summary>
    private async Task ClearStaleTxProfileAsync(CancellationToken stop)
    {
        if (!_txProfileMayExist) return;
        var answer = await _commands.ClearChargingProfileAsync(TxProfileId, stop);
        if (answer.Outcome is LinkOutcome.Accepted or LinkOutcome.Unknown) _txProfileMayExist = false;
    }

    private string RecordRejection(string text)
    {
        Refused(ActionResult.Rejected("SetChargingProfile", text));
        return text;
    }

    private static Applied FromLinkFailure(LinkResult answer) => answer.Outcome switch
    {
        LinkOutcome.NotConnected => new(ActionOutcome.NotConnected, "Wallbox not connected"),
        LinkOutcome.TimedOut => new(ActionOutcome.TimedOut, "Command timed out"),
        _ => new(ActionOutcome.Rejected, $"SetChargingProfile failed: {answer.Reason}"),
    };
}

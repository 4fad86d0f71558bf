using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging;

/// <summary>
/// How a limit goes onto the BMW box (quirks 3–7): a TxDefaultProfile with a fixed id on the EVSE,
/// replaced in place, so the limit also holds for the first minutes of the next session (quirk 5);
/// when the box refuses it, a TxProfile bound to the live transaction (quirk 9 decides when); when
/// it refuses that too, the reboot fallback (if allowed) and a clear report. Profiles are always
/// stack level 0, amps, one period (quirk 3). Used from the controller's worker only.
/// </summary>
internal sealed class ProfileStrategy(
    string stationId,
    WallboxCommands commands,
    Func<WallboxState?> box,
    LiveTransactionRecovery liveTransaction,
    RebootFallback reboots,
    LastRefusal refusals,
    PhaseSwitching phases,
    double minCurrent,
    ILogger log)
{
    /// <summary>Fixed id of the TxDefaultProfile on the EVSE: replaced in place on every change (quirk 7).</summary>
    public const int TxDefaultProfileId = 101;
    /// <summary>Fixed id of the fallback TxProfile bound to the live transaction.</summary>
    public const int TxProfileId = 102;

    private bool _txDefaultRefused;
    private int? _numberPhases; // of the limit being sent now
    private bool _txProfileMayExist = true; // a TxProfile of ours may linger from before (another connection or process)

    /// <summary>The box (re)connected or booted: it may take a TxDefaultProfile again.</summary>
    public void LinkUp() => _txDefaultRefused = false;

    /// <summary>
    /// Put <paramref name="limit"/> on the box, on <paramref name="numberPhases"/> phases when the box switches
    /// (otherwise the profile has no numberPhases); <see cref="ApplyResult.OnBox"/> tells whether the box took it.
    /// </summary>
    public async Task<ApplyResult> SendAsync(double limit, int? numberPhases, CancellationToken stop)
    {
        _numberPhases = numberPhases is not null && await phases.UsableAsync(stop) ? numberPhases : null;
        LinkResult? defaultRefusal = null;
        if (!_txDefaultRefused)
        {
            var answer = await SetProfileAsync(ProfilePurpose.TxDefaultProfile, limit, null, stop);
            if (answer.IsAccepted)
            {
                await ClearStaleTxProfileAsync(stop);
                return ApplyResult.Sent("applied");
            }
            if (answer.Outcome != LinkOutcome.Rejected) return FromLinkFailure(answer);
            _txDefaultRefused = true;
            defaultRefusal = answer;
            log.LogInformation("{StationId}: TxDefaultProfile rejected ({Reason}); falling back to a TxProfile on the live transaction", stationId, answer.Reason);
        }

        if (box()?.Transaction is not { IsActive: true } tx)
        {
            if (defaultRefusal is null)
                return ApplyResult.Ok($"{A(limit)} A goes out as a TxProfile when a transaction starts (the box refuses TxDefaultProfile)");
            return new(ActionOutcome.Rejected, RecordRejection(
                $"SetChargingProfile rejected: TxDefaultProfile {defaultRefusal.Reason}; {A(limit)} A goes out as a TxProfile when a transaction starts"));
        }

        // Quirk 9: a TxProfile for a stale transaction id is rejected; wait for the box's report.
        if (liveTransaction.HoldTxProfile())
            return ApplyResult.Ok($"{A(limit)} A goes out as a TxProfile once the box has reported its live transaction");

        var txAnswer = await SetProfileAsync(ProfilePurpose.TxProfile, limit, tx.Id, stop);
        if (txAnswer.IsAccepted)
        {
            _txProfileMayExist = true;
            return ApplyResult.Sent($"applied as TxProfile on transaction {tx.Id}");
        }
        if (txAnswer.Outcome != LinkOutcome.Rejected) return FromLinkFailure(txAnswer);

        // The box refuses every profile on a running transaction (quirk 7): only a reboot helps.
        var text = RecordRejection($"SetChargingProfile rejected: {txAnswer.Reason}");
        text += await reboots.LastResortAsync($"profiles refused on transaction {tx.Id}", stop);
        return new(ActionOutcome.Rejected, text);
    }

    private async Task<LinkResult> SetProfileAsync(ProfilePurpose purpose, double limit, string? transactionId, CancellationToken stop)
    {
        var id = purpose == ProfilePurpose.TxDefaultProfile ? TxDefaultProfileId : TxProfileId;
        var profile = new ChargeProfile(id, purpose, SafetyEnvelope.Round(limit), transactionId);
        if (_numberPhases is { } n)
        {
            var answer = await commands.SetChargingProfileAsync(profile with { NumberPhases = n }, stop);
            if (answer.IsAccepted) phases.Accepted(n);
            if (answer.Outcome != LinkOutcome.Rejected) return answer;
            // A box that reports switching but refuses numberPhases: without it from now on. The current meant for
            // one phase would be too much on all of them: the minimum until the charge mode decides again.
            phases.Refused(answer.Reason);
            _numberPhases = null;
            if (n < 3) profile = profile with { LimitAmps = SafetyEnvelope.Round(Math.Min(limit, minCurrent)) };
        }
        return await commands.SetChargingProfileAsync(profile, stop);
    }

    /// <summary>
    /// A TxProfile of ours would override the TxDefaultProfile just accepted; remove it.
    /// Unknown (nothing to clear) is the normal answer (quirk 6).
    /// </summary>
    private async Task ClearStaleTxProfileAsync(CancellationToken stop)
    {
        if (!_txProfileMayExist) return;
        var answer = await commands.ClearChargingProfileAsync(TxProfileId, stop);
        if (answer.Outcome is LinkOutcome.Accepted or LinkOutcome.Unknown) _txProfileMayExist = false;
    }

    private string RecordRejection(string text)
    {
        refusals.Record(ActionResult.Rejected("SetChargingProfile", text));
        return text;
    }

    private static ApplyResult FromLinkFailure(LinkResult answer) => answer.Outcome switch
    {
        LinkOutcome.NotConnected => new(ActionOutcome.NotConnected, "Wallbox not connected"),
        LinkOutcome.TimedOut => new(ActionOutcome.TimedOut, "Command timed out"),
        _ => new(ActionOutcome.Rejected, $"SetChargingProfile failed: {answer.Reason}"),
    };

    private static string A(double amps) => SafetyEnvelope.Format(amps);
}

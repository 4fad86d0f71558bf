using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging;

/// <summary>
/// The actions that command the box itself rather than go through a claim: start (which also
/// resumes a paused session and authorizes one the box opened at plug-in), stop and reboot. They
/// carry the BMW's session quirks: a stopped session cannot be restarted remotely (quirk 10), so
/// a refused start falls back to a reboot. Used from the controller's worker only.
/// </summary>
internal sealed class BoxActions(
    string stationId,
    WallboxCommands commands,
    Func<WallboxState?> box,
    ClaimKeeper claims,
    LimitReconciler limits,
    RebootFallback reboots,
    LastRefusal refusals,
    ILogger log)
{
    private int _nextRemoteStartId = Random.Shared.Next(1, 1_000_000);

    public async Task<ActionResult> StartAsync(string source, CancellationToken stop)
    {
        if (box() is not { Connected: true } current) return ActionResult.NotConnected("start");

        var byPerson = await claims.DropPausesOfAsync(source, stop);
        if (current.Transaction is { IsActive: true } tx)
        {
            // "Start" on a running session = resume: the source's own pause is gone, re-send the limit.
            var applied = await limits.ReconcileAsync(force: true, stop, byPerson);
            if (applied.Outcome != ActionOutcome.Accepted) return applied.ToAction("start", $"transaction {tx.Id} running");
            var running = $"Transaction {tx.Id} running";
            if (AwaitsAuthorization(tx))
            {
                // TxStartPoint EVConnected: the box opened the session at plug-in and lets no energy flow
                // until it is authorized; OCPP 2.0.1 lets RequestStartTransaction authorize that session.
                // The limit went out first, so the car starts at it.
                var authorizeId = _nextRemoteStartId++;
                var authorized = await commands.RequestStartTransactionAsync(authorizeId, stop);
                if (!authorized.IsAccepted)
                    return FromLink("start", $"RequestStartTransaction (to authorize transaction {tx.Id})", authorized);
                running = $"Transaction {tx.Id} authorized (remoteStartId {authorizeId})";
            }
            var ruling = claims.Arbitrate();
            if (ruling.Limit == 0)
                return ActionResult.Rejected("start", $"{running} but charging is paused by claim '{ruling.Source}' (a manual claim outranks rule claims)");
            return ActionResult.Accepted("start", $"{running}; {applied.Message}");
        }

        var remoteStartId = _nextRemoteStartId++;
        var started = await commands.RequestStartTransactionAsync(remoteStartId, stop);
        if (started.IsAccepted)
        {
            var applied = await limits.ReconcileAsync(force: true, stop, byPerson);
            return ActionResult.Accepted("start", $"Start requested (remoteStartId {remoteStartId}); {applied.Message}");
        }
        if (started.Outcome is LinkOutcome.Rejected or LinkOutcome.Error)
        {
            // Nothing else starts a BMW box stuck in Finishing (quirk 10): a reboot is the last resort.
            var text = $"RequestStartTransaction rejected: {started.Reason}" + await reboots.LastResortAsync("remote start refused", stop);
            return refusals.Record(ActionResult.Rejected("start", text));
        }
        return FromLink("start", "RequestStartTransaction", started);
    }

    public async Task<ActionResult> StopAsync(string source, CancellationToken stop)
    {
        if (box() is not { Connected: true } current) return ActionResult.NotConnected("stop");
        if (current.Transaction is not { IsActive: true } tx) return ActionResult.Rejected("stop", "No active charging session");
        var stopped = await commands.RequestStopTransactionAsync(tx.Id, stop);
        if (!stopped.IsAccepted) return FromLink("stop", "RequestStopTransaction", stopped);
        log.LogWarning(
            "{StationId}: transaction {Tx} stopped by {Source}; a BMW box now sits in Finishing and cannot start a new transaction remotely until the car is unplugged and replugged or the box reboots",
            stationId, tx.Id, source);
        return ActionResult.Accepted("stop",
            $"Transaction {tx.Id} stopped. The BMW box cannot restart it remotely: unplug and replug the car (or reboot the box) to charge again. Use pause to interrupt charging.");
    }

    public async Task<ActionResult> RebootAsync(CancellationToken stop)
    {
        if (reboots.Refusal() is { } refusal) return ActionResult.Rejected("reboot", $"Reboot refused: {refusal}");
        if (box() is not { Connected: true }) return ActionResult.NotConnected("reboot");
        var reset = await reboots.ResetAsync(stop);
        return reset.IsAccepted
            ? ActionResult.Accepted("reboot", "Wallbox rebooting (takes about a minute)")
            : FromLink("reboot", "Reset", reset);
    }

    /// <summary>
    /// A session the box opened when the car was plugged in and that nobody authorized yet: no id token
    /// and still at EVConnected (once authorized, energy is offered and it moves on, or the token is known).
    /// </summary>
    private static bool AwaitsAuthorization(TransactionInfo tx)
        => tx.IdToken is null && tx.ChargingState is (null or ChargingState.EVConnected);

    /// <summary>The action's result from the box's answer; a refusal by the box is remembered for <see cref="ControlState.LastRejected"/>.</summary>
    private ActionResult FromLink(string action, string command, LinkResult answer) => answer.Outcome switch
    {
        LinkOutcome.Accepted => ActionResult.Accepted(action, $"{command} accepted"),
        LinkOutcome.NotConnected => ActionResult.NotConnected(action),
        LinkOutcome.TimedOut => ActionResult.TimedOut(action),
        LinkOutcome.Error => ActionResult.Rejected(action, $"{command} failed: {answer.Reason}"),
        _ => refusals.Record(ActionResult.Rejected(action, $"{command} rejected: {answer.Reason}")),
    };
}

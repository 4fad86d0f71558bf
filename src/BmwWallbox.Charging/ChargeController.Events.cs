using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging;

/// <summary>How the controller reacts to what the box reports.</summary>
public sealed partial class ChargeController
{
    /// <summary>TransactionEvent stoppedReason when the car was unplugged (OCPP 2.0.1 ReasonEnumType).</summary>
    private const string CarUnpluggedReason = "EVDisconnected";

    /// <summary>
    /// Feed one event of this station (others are ignored). Quick and non-blocking: the state is
    /// taken at once, the reaction is queued on the controller's worker.
    /// </summary>
    public void OnWallboxEvent(WallboxEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.State.StationId != StationId) return;
        Volatile.Write(ref _box, e.State);
        Post(stop => ReactAsync(e, stop));
    }

    private async Task ReactAsync(WallboxEvent e, CancellationToken stop)
    {
        // Any transaction event changes the transaction we know: the box has reported it. (No second
        // re-send when the event below re-sends anyway: each replacement risks quirk 3.)
        if (_liveTransaction.AwaitingReport && !Equals(e.State.Transaction, e.Previous?.Transaction))
            await _liveTransaction.ReportedAsync($"transaction {e.State.Transaction?.Id} reported", stop,
                resend: e.Kind != WallboxEventKind.TransactionStarted && !ChargingResumed(e));

        switch (e.Kind)
        {
            case WallboxEventKind.Connected:
                _stopTxSetting.Connected();
                _profiles.LinkUp();
                await LinkUpAsync("connected", stop);
                break;
            case WallboxEventKind.Booted:
                _reboots.Booted();
                _profiles.LinkUp();
                await LinkUpAsync("booted", stop);
                break;
            case WallboxEventKind.TransactionStarted:
                // Quirk 4: a limit sent earlier may have been dropped; say it again for the new transaction.
                await _limits.ReconcileAndLogAsync("transaction started", force: true, stop);
                break;
            case WallboxEventKind.ChargingStateChanged when ChargingResumed(e):
                // Quirk 4: a profile sent while Suspended may have been silently discarded.
                await _limits.ReconcileAndLogAsync("charging resumed after suspension", force: true, stop);
                break;
            // A session also ends by a reboot, a remote or local stop, a power cut: only an unplug ends the
            // claims made "until unplugged" (a person's override must survive a reboot). Otherwise the
            // connector turning Available below tells that the car has gone.
            case WallboxEventKind.TransactionEnded when e.State.Transaction?.StoppedReason == CarUnpluggedReason:
                await EndUnplugClaimsAsync("car unplugged", stop);
                break;
            // Only a real transition counts: the first status after a restart says nothing about an unplug.
            case WallboxEventKind.StatusChanged
                when e.State.Status == ConnectorStatus.Available && e.Previous?.Status is { } before && before != ConnectorStatus.Available:
                await EndUnplugClaimsAsync("connector available", stop);
                break;
        }
        _polling.Sync();
    }

    private static bool ChargingResumed(WallboxEvent e)
        => e.Kind == WallboxEventKind.ChargingStateChanged
           && e.Previous?.ChargingState is ChargingState.SuspendedEV or ChargingState.SuspendedEVSE
           && e.State.ChargingState == ChargingState.Charging;

    /// <summary>A (re)connected or rebooted box: recover the live transaction, configure, re-apply the limit.</summary>
    private async Task LinkUpAsync(string why, CancellationToken stop)
    {
        await _liveTransaction.AskForReportAsync(stop);
        await _stopTxSetting.SendOnceAsync(stop);
        await _limits.ReconcileAndLogAsync(why, force: true, stop);
    }

    private async Task EndUnplugClaimsAsync(string why, CancellationToken stop)
    {
        if (await _claims.EndOnUnplugAsync(why, stop))
            await _limits.ReconcileAndLogAsync($"claims ended ({why})", force: false, stop);
    }
}

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// What a fresh session with the CSMS starts with, ahead of anything queued: a StatusNotification,
/// after a boot quirk 2's unexpected messages and the transaction of a car still plugged in; after a
/// reconnect quirk 9's renewed transaction id and quirk 12's replayed TransactionEvents.
/// </summary>
internal sealed class SessionStart(SimulatedBoxOptions options, TransactionLifecycle transactions, ChargeRegulator regulator,
    MessageQueue queue, BootSequence boot, DeviceModel device)
{
    private readonly BoxQuirks _quirks = options.Quirks;

    /// <summary>The session may carry ordinary messages, at once (<paramref name="afterBoot"/> false) or after an accepted boot.</summary>
    public void OnReady(DateTimeOffset now, bool afterBoot)
    {
        if (!afterBoot && _quirks.StaleTransactionIdAfterReconnect && transactions.Current is not null) transactions.RenewId();

        var first = new List<Outgoing> { regulator.StatusNotification(now) };
        if (afterBoot && _quirks.ExtraMessages) first.AddRange(UnexpectedMessages.AtBoot(now, boot, regulator.ConnectorStatus, device));
        if (!afterBoot && _quirks.ReplayDeliveredEvents) first.AddRange(queue.TakeReplay());
        queue.AddFirst(first);

        if (afterBoot) transactions.Start(now, "CablePluggedIn");
        regulator.Update(now);
    }
}

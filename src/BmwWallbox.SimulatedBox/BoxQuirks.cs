namespace BmwWallbox.SimulatedBox;

/// <summary>
/// The field quirks of src/BMW_WALLBOX.md, switchable one by one. <see cref="None"/> is a well-behaved
/// OCPP 2.0.1 box; <see cref="AllOn"/> behaves like the real BMW box (quirk 11, TLS strictness, is a
/// <see cref="SimulatedBoxClientOptions"/> setting because it lives in the transport).
/// </summary>
public sealed record BoxQuirks
{
    public static BoxQuirks None { get; } = new();

    /// <summary>All quirks on, with the BMW firmware that accepts TxDefaultProfile.</summary>
    public static BoxQuirks AllOn { get; } = new()
    {
        OneCallAtATime = true,
        StrictMessageIds = true,
        ExtraMessages = true,
        DuplicateProfileIdRejection = true,
        DiscardTxProfileWhileSuspended = true,
        FullPowerWithoutTxDefault = true,
        ClearAnswersUnknown = true,
        TxProfileLockAfterSuspendedEvse = true,
        FrozenCurrentImport = true,
        StaleTransactionIdAfterReconnect = true,
        FinishingAfterRemoteStop = true,
        ReplayDeliveredEvents = true,
    };

    /// <summary>1: CSMS calls are handled strictly one after another, each after <see cref="ReplyDelay"/>,
    /// so a call the CSMS abandoned is still answered, late.</summary>
    public bool OneCallAtATime { get; init; }

    /// <summary>1: delay before the box answers each CSMS call (virtual time). Applies whenever &gt; 0.</summary>
    public TimeSpan ReplyDelay { get; init; } = TimeSpan.Zero;

    /// <summary>1: a CALL arriving while the previous reply is pending, or a reply with an unknown
    /// message id, desynchronises the session: every later call gets a CALLERROR until reconnect.</summary>
    public bool StrictMessageIds { get; init; }

    /// <summary>2: sends NotifyEVChargingNeeds, NotifyChargingLimit, ClearedChargingLimit, NotifyEvent,
    /// NotifyReport and SecurityEventNotification at boot/plug-in; a CALLERROR reply to any of them
    /// breaks the session (the box disconnects).</summary>
    public bool ExtraMessages { get; init; }

    /// <summary>3: every <see cref="DuplicateIdRejectEvery"/>-th replacement of the same TxProfile id on
    /// one transaction is Rejected, and after that every TxProfile on that transaction.</summary>
    public bool DuplicateProfileIdRejection { get; init; }

    public int DuplicateIdRejectEvery { get; init; } = 2;

    /// <summary>4: a TxProfile received while Suspended is Accepted but discarded; on resume the car
    /// draws the hardware maximum until a profile is accepted while charging.</summary>
    public bool DiscardTxProfileWhileSuspended { get; init; }

    /// <summary>5: without a TxDefaultProfile before plug-in, the first <see cref="FullPowerDuration"/>
    /// of a session run at hardware maximum whatever the profiles say.</summary>
    public bool FullPowerWithoutTxDefault { get; init; }

    public TimeSpan FullPowerDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>6: ClearChargingProfile answers Unknown when nothing matched (otherwise Accepted).</summary>
    public bool ClearAnswersUnknown { get; init; }

    /// <summary>7: after SuspendedEVSE or Faulted mid-session, every TxProfile is Rejected until reboot.</summary>
    public bool TxProfileLockAfterSuspendedEvse { get; init; }

    /// <summary>7 (other firmware): every TxDefaultProfile is Rejected. Not part of <see cref="AllOn"/>.</summary>
    public bool RejectTxDefaultProfile { get; init; }

    /// <summary>8: the non-phased Current.Import freezes at its first value of the session.</summary>
    public bool FrozenCurrentImport { get; init; }

    /// <summary>9: after a reconnect the live transaction silently gets a new id.</summary>
    public bool StaleTransactionIdAfterReconnect { get; init; }

    /// <summary>10: RequestStopTransaction leaves the box Finishing: no remote start until unplug or reboot.</summary>
    public bool FinishingAfterRemoteStop { get; init; }

    /// <summary>12: after a reconnect the box also re-sends the last delivered TransactionEvents
    /// (offline: true, older seqNo) before the queued ones, so the CSMS must deduplicate.</summary>
    public bool ReplayDeliveredEvents { get; init; }

    internal void Validate()
    {
        if (ReplyDelay < TimeSpan.Zero) throw new ArgumentException($"ReplyDelay must not be negative, was {ReplyDelay}.");
        if (DuplicateIdRejectEvery < 1) throw new ArgumentException($"DuplicateIdRejectEvery must be >= 1, was {DuplicateIdRejectEvery}.");
        if (FullPowerDuration <= TimeSpan.Zero) throw new ArgumentException($"FullPowerDuration must be > 0, was {FullPowerDuration}.");
    }
}

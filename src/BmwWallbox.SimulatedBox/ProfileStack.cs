namespace BmwWallbox.SimulatedBox;

/// <summary>
/// The installed charging profiles and the limit they give, with the BMW's profile quirks:
/// 3 (a replaced profile id rejected, then every TxProfile of the transaction), 4 (a TxProfile
/// accepted and dropped while suspended), 5 (full power at plug-in without a TxDefaultProfile) and
/// 7 (TxProfiles locked after SuspendedEVSE/Faulted; firmware that rejects TxDefaultProfile).
/// </summary>
internal sealed class ProfileStack(SimulatedBoxOptions options)
{
    /// <summary>SmartChargingCtrlr.Entries.</summary>
    private const int Capacity = 15;
    private readonly BoxQuirks _quirks = options.Quirks;
    private readonly List<ChargingProfile> _profiles = [];
    /// <summary>Quirk 5: until then the session runs at the hardware maximum.</summary>
    private DateTimeOffset? _fullPowerUntil;
    /// <summary>Quirk 4: a dropped TxProfile leaves the hardware maximum until one is accepted while charging.</summary>
    private bool _hardwareMaxOverride;
    /// <summary>Quirk 7: TxProfiles are refused until reboot.</summary>
    private bool _txProfileLock;

    public IReadOnlyList<ChargingProfile> Installed => _profiles;

    /// <summary>The numberPhases of the period that gives the limit at the last <see cref="Limit"/>; null = none given.</summary>
    public int? NumberPhases { get; private set; }

    /// <summary>
    /// The limit in force at <paramref name="at"/> in A per phase (W converted, capped at the hardware
    /// maximum); null = no profile in force. <paramref name="nextChange"/> is when it can next change.
    /// </summary>
    public double? Limit(DateTimeOffset at, Transaction? tx, out DateTimeOffset? nextChange)
    {
        nextChange = null;
        NumberPhases = null;
        if (_fullPowerUntil is { } until)
        {
            if (at < until) { nextChange = until; return null; }
            _fullPowerUntil = null;
        }
        if (_hardwareMaxOverride) return null;

        var stationMax = LimitOf("ChargingStationMaxProfile", 0, null, at, tx, ref nextChange, out _);
        int? txPhases = null;
        var txLimit = tx is null ? null : LimitOf("TxProfile", 1, tx.Id, at, tx, ref nextChange, out txPhases);
        var evseDefault = LimitOf("TxDefaultProfile", 1, null, at, tx, ref nextChange, out var evsePhases);
        var stationDefault = LimitOf("TxDefaultProfile", 0, null, at, tx, ref nextChange, out var stationPhases);
        var limit = txLimit ?? evseDefault ?? stationDefault;
        NumberPhases = txLimit is not null ? txPhases : evseDefault is not null ? evsePhases : stationPhases;
        if (stationMax is { } max) limit = limit is { } l ? Math.Min(l, max) : max;
        return limit is { } result ? Math.Min(result, options.EffectiveHardwareMaxAmps) : null;
    }

    /// <summary>SetChargingProfile after parsing: the OCPP status, reason code and a note.</summary>
    public (string Status, string? ReasonCode, string? Info) Install(ChargingProfile p, Transaction? tx)
    {
        if (options.PhaseSwitching == PhaseSwitchingBehaviour.Refuses && p.Periods.Any(x => x.NumberPhases is not null))
            return ("Rejected", "InvalidSchedule", "numberPhases is not supported although Phases3to1 says so");
        if (p.Purpose == "TxDefaultProfile" && _quirks.RejectTxDefaultProfile)
            return ("Rejected", "UnsupportedRequest", "this firmware rejects TxDefaultProfile (quirk 7)");
        var suspended = tx?.ChargingState is "SuspendedEV" or "SuspendedEVSE";
        if (p.Purpose == "TxProfile")
        {
            if (tx is null) return ("Rejected", "TxNotFound", "no transaction is ongoing");
            if (p.TransactionId != tx.Id) return ("Rejected", "TxNotFound", $"transaction '{p.TransactionId}' is not the ongoing transaction");
            if (_txProfileLock) return ("Rejected", "UnknownError", "TxProfile refused after SuspendedEVSE/Faulted until reboot (quirk 7)");
            if (tx.ProfilesPoisoned) return ("Rejected", "UnknownError", "TxProfiles refused on this transaction after a duplicate id was rejected (quirk 3)");
            if (_quirks.DuplicateProfileIdRejection && _profiles.Exists(x => x.Id == p.Id && x.TransactionId == tx.Id))
            {
                var n = tx.Replacements[p.Id] = tx.Replacements.GetValueOrDefault(p.Id) + 1;
                if (n % _quirks.DuplicateIdRejectEvery == 0)
                {
                    tx.ProfilesPoisoned = true;
                    return ("Rejected", "DuplicateProfile", $"replacement #{n} of profile {p.Id} rejected (quirk 3)");
                }
            }
            if (suspended && _quirks.DiscardTxProfileWhileSuspended)
            {
                _hardwareMaxOverride = true;
                return ("Accepted", null, "TxProfile discarded while suspended (quirk 4)");
            }
        }
        var conflict = _profiles.Find(x => x.Id != p.Id && x.Purpose == p.Purpose && x.StackLevel == p.StackLevel
            && x.EvseId == p.EvseId && x.TransactionId == p.TransactionId);
        if (conflict is not null)
            return ("Rejected", "DuplicateProfile", $"profile {conflict.Id} already uses stackLevel {p.StackLevel} for {p.Purpose}");
        if (!_profiles.Exists(x => x.Id == p.Id) && _profiles.Count >= Capacity)
            return ("Rejected", "InvalidProfile", "no room for more charging profiles (Entries 15)");
        _profiles.RemoveAll(x => x.Id == p.Id);
        _profiles.Add(p);
        if (!suspended) _hardwareMaxOverride = false;
        return ("Accepted", null, null);
    }

    /// <summary>ClearChargingProfile: how many were removed.</summary>
    public int Clear(Predicate<ChargingProfile> match) => _profiles.RemoveAll(match);

    /// <summary>Quirk 5: without a TxDefaultProfile in place the new session starts at full power.</summary>
    public void OnTransactionStarted(DateTimeOffset at)
    {
        if (_quirks.FullPowerWithoutTxDefault && !_profiles.Exists(p => p.Purpose == "TxDefaultProfile"))
            _fullPowerUntil = at + _quirks.FullPowerDuration;
    }

    /// <summary>The transaction's TxProfiles end with it, and so do quirks 4 and 5.</summary>
    public void OnTransactionEnded(string transactionId)
    {
        _profiles.RemoveAll(p => p.Purpose == "TxProfile" && p.TransactionId == transactionId);
        _fullPowerUntil = null;
        _hardwareMaxOverride = false;
    }

    /// <summary>What survives a reboot: TxDefaultProfile and ChargingStationMaxProfile (persistent).</summary>
    public void OnReboot()
    {
        _profiles.RemoveAll(p => p.Purpose == "TxProfile");
        _txProfileLock = false;
        _hardwareMaxOverride = false;
        _fullPowerUntil = null;
    }

    /// <summary>Quirk 7: the box suspended or faulted mid-session; TxProfiles are refused until reboot.</summary>
    public void LockTxProfiles()
    {
        if (_quirks.TxProfileLockAfterSuspendedEvse) _txProfileLock = true;
    }

    /// <summary>Quirk 9: the transaction continues under a new id and its TxProfiles with it.</summary>
    public void RenameTransaction(string oldId, string newId)
    {
        for (var i = 0; i < _profiles.Count; i++)
            if (_profiles[i].TransactionId == oldId) _profiles[i] = _profiles[i] with { TransactionId = newId };
    }

    /// <summary>The limit in A of the highest stack level in force for this purpose, or null.</summary>
    private double? LimitOf(string purpose, int evseId, string? transactionId, DateTimeOffset at, Transaction? tx, ref DateTimeOffset? nextChange, out int? numberPhases)
    {
        numberPhases = null;
        ChargingProfile? best = null;
        ChargingSchedulePeriod? bestPeriod = null;
        foreach (var p in _profiles)
        {
            if (p.Purpose != purpose || p.EvseId != evseId || p.TransactionId != transactionId) continue;
            var period = ProfileSchedule.PeriodAt(p, at, tx?.StartedAt, ref nextChange);
            if (period is null || (best is not null && best.StackLevel >= p.StackLevel)) continue;
            best = p;
            bestPeriod = period;
        }
        if (best is null || bestPeriod is null) return null;
        numberPhases = bestPeriod.NumberPhases;
        return best.RateUnit == "W"
            ? bestPeriod.Limit / (options.VoltageV * (bestPeriod.NumberPhases ?? options.Phases))
            : bestPeriod.Limit;
    }
}

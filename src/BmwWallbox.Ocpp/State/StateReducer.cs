using BmwWallbox.Core;
using BmwWallbox.Ocpp.Messages;
using TransactionInfo = BmwWallbox.Core.TransactionInfo;

namespace BmwWallbox.Ocpp.State;

/// <summary>
/// How each station message changes a <see cref="WallboxState"/>: pure functions of (tracker, message, now).
/// The box's clock is not trusted for ordering (it can run ahead, or restart in 2000 after a power
/// cut): messages count in the order they arrive. Timestamps only keep an offline replay
/// (quirk 12) from overwriting newer state, and one further ahead of our clock than
/// <see cref="MaxClockAhead"/> is taken as "now".
/// </summary>
internal static class StateReducer
{
    public static readonly TimeSpan MaxClockAhead = TimeSpan.FromMinutes(10);
    private static readonly IReadOnlyList<WallboxEventKind> None = [];
    public static readonly IReadOnlyList<WallboxEventKind> HeartbeatKind = [WallboxEventKind.Heartbeat];
    private static readonly IReadOnlyList<WallboxEventKind> MeterKind = [WallboxEventKind.MeterValues];

    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Connected(StationTracker t, object connection, DateTimeOffset now)
    {
        t.Connection = connection;
        t.AwaitingFirstMessage = true;
        return (t.State with { Connected = true, ConnectedAt = now }, [WallboxEventKind.Connected]);
    }

    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Disconnected(StationTracker t, object connection, DateTimeOffset now)
    {
        if (t.Connection != connection) return (t.State, None); // already replaced by a newer connection
        t.Connection = null;
        return (t.State with { Connected = false, DisconnectedAt = now }, [WallboxEventKind.Disconnected]);
    }

    /// <summary>A message that changes nothing else: the snapshot stays (<see cref="StationTracker.Heard"/>).</summary>
    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Message(StationTracker t, DateTimeOffset now)
    {
        t.Heard(now, heartbeat: false);
        return (t.State, None);
    }

    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Boot(StationTracker t, BootNotificationRequest boot, DateTimeOffset now)
    {
        var station = boot.ChargingStation;
        var info = new BootInfo(station.VendorName, station.Model, station.SerialNumber, station.FirmwareVersion, boot.Reason.ToString(), now);
        t.Rebooted(); // transaction ids and seqNos may start over
        return (t.State with { LastMessageAt = now, Boot = info }, [WallboxEventKind.Booted]);
    }

    /// <summary>Announced, but with the snapshot as it was: only when the station was last heard changes.</summary>
    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Heartbeat(StationTracker t, DateTimeOffset now)
    {
        t.Heard(now, heartbeat: true);
        return (t.State, HeartbeatKind);
    }

    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Status(StationTracker t, StatusNotificationRequest status, DateTimeOffset now)
    {
        var state = t.State with { LastMessageAt = now };
        return state.Status == status.ConnectorStatus
            ? (state, None)
            : (state with { Status = status.ConnectorStatus }, [WallboxEventKind.StatusChanged]);
    }

    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Meter(StationTracker t, IReadOnlyList<MeterValue>? meterValues, DateTimeOffset now)
    {
        var readings = ApplyMeterValues(Readings.Of(t.State), meterValues, replay: false, now, out var applied);
        return (readings.Into(t.State, now, t.State.Transaction), applied ? MeterKind : None);
    }

    /// <summary>
    /// Deduplicates by (transactionId, seqNo). Within the known transaction only a higher seqNo
    /// (the box's own counter) changes it. Another transaction is taken over when it arrives live;
    /// an offline replay (quirk 12) takes over only from an ended transaction it does not predate.
    /// </summary>
    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Transaction(StationTracker t, TransactionEventRequest e, DateTimeOffset now)
    {
        var state = t.State;
        if (!t.FirstTimeSeen(e.TransactionInfo.TransactionId, e.SeqNo)) return (state with { LastMessageAt = now }, None);

        // Worked out first and applied in one copy of the snapshot (it was three per meter reading).
        List<WallboxEventKind>? kinds = null;
        var known = state.Transaction;
        var transaction = known;
        var info = e.TransactionInfo;
        var at = Believed(e.Timestamp, now);
        var ended = e.EventType == TransactionEventType.Ended;
        var replay = e.Offline == true;
        // A live Started with a known id: the box reuses ids after a reboot, so it is a new transaction.
        var isNew = known is null || known.Id != info.TransactionId || (!replay && e.EventType == TransactionEventType.Started && e.SeqNo <= known.LastSeqNo);
        if (isNew)
        {
            if (known is null || !replay || !known.IsActive && at >= known.StartedAt)
            {
                transaction = new TransactionInfo(info.TransactionId, at, info.ChargingState, e.IdToken?.Value, e.SeqNo,
                    ended ? at : null, ended ? info.StoppedReason?.ToString() : null);
                (kinds ??= []).Add(ended ? WallboxEventKind.TransactionEnded : WallboxEventKind.TransactionStarted);
            }
        }
        else if (e.SeqNo > known!.LastSeqNo && known.IsActive)
        {
            var next = known with
            {
                LastSeqNo = e.SeqNo,
                ChargingState = info.ChargingState ?? known.ChargingState,
                IdToken = e.IdToken?.Value ?? known.IdToken,
            };
            if (next.ChargingState != known.ChargingState) (kinds ??= []).Add(WallboxEventKind.ChargingStateChanged);
            if (ended)
            {
                next = next with { EndedAt = at, StoppedReason = info.StoppedReason?.ToString() };
                (kinds ??= []).Add(WallboxEventKind.TransactionEnded);
            }
            transaction = next;
        }

        var readings = ApplyMeterValues(Readings.Of(state), e.MeterValue, replay, now, out var applied);
        if (applied && kinds is not null) kinds.Add(WallboxEventKind.MeterValues);
        return (readings.Into(state, now, transaction), kinds ?? (applied ? MeterKind : None));
    }

    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Variables(StationTracker t, IEnumerable<KeyValuePair<string, string>> variables, DateTimeOffset now)
    {
        var merged = new Dictionary<string, string>(t.State.Variables, StringComparer.Ordinal);
        var changed = false;
        foreach (var (key, value) in variables)
        {
            if (merged.TryGetValue(key, out var old) && old == value) continue;
            merged[key] = value;
            changed = true;
        }
        return changed
            ? (t.State with { LastMessageAt = now, Variables = merged }, [WallboxEventKind.VariablesReported])
            : (t.State with { LastMessageAt = now }, None);
    }

    /// <summary>Device-model key: "Component.Variable", with "[instance]" where the box names one.</summary>
    public static string VariableKey(Component component, Variable variable)
        => $"{component.Name}{(component.Instance is { } ci ? $"[{ci}]" : "")}.{variable.Name}{(variable.Instance is { } vi ? $"[{vi}]" : "")}";

    /// <summary>The Actual values of a NotifyReport.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ActualValues(IEnumerable<ReportData> report)
        => from data in report
           from attribute in data.VariableAttribute
           where (attribute.Type ?? AttributeType.Actual) == AttributeType.Actual && attribute.Value is not null
           select KeyValuePair.Create(VariableKey(data.Component, data.Variable), attribute.Value!);

    /// <summary>
    /// Live readings are applied in the order they arrive; readings replayed from offline
    /// (quirk 12) only when newer than the one shown.
    /// </summary>
    private static Readings ApplyMeterValues(Readings readings, IReadOnlyList<MeterValue>? meterValues, bool replay, DateTimeOffset now, out bool applied)
    {
        applied = false;
        switch (meterValues)
        {
            case null or { Count: 0 }:
                return readings;
            case { Count: 1 }: // the usual case: nothing to put in order
                return Apply(readings, MeterReading.Read(meterValues[0]), replay, now, ref applied);
        }
        foreach (var reading in meterValues.Select(MeterReading.Read).OrderBy(r => r.At))
            readings = Apply(readings, reading, replay, now, ref applied);
        return readings;
    }

    private static Readings Apply(Readings shown, MeterReading reading, bool replay, DateTimeOffset now, ref bool applied)
    {
        var at = Believed(reading.At, now);
        if (reading.IsEmpty || replay && shown.At is { } last && at <= last) return shown;
        applied = true;
        return new Readings(at, reading.PowerW ?? shown.PowerW, reading.EnergyWh ?? shown.EnergyWh, reading.CurrentA ?? shown.CurrentA,
            reading.PhaseCurrentA ?? shown.PhaseCurrentA, reading.VoltageV ?? shown.VoltageV);
    }

    /// <summary>A snapshot's meter fields, changed on the stack and put into the snapshot's one copy.</summary>
    private readonly record struct Readings(DateTimeOffset? At, double? PowerW, double? EnergyWh, double? CurrentA, PhaseValues? PhaseCurrentA, double? VoltageV)
    {
        public static Readings Of(WallboxState s) => new(s.MeterAt, s.PowerW, s.EnergyWh, s.CurrentA, s.PhaseCurrentA, s.VoltageV);

        /// <summary>The one copy of <paramref name="state"/>: heard at <paramref name="now"/>, with this transaction and these readings.</summary>
        public WallboxState Into(WallboxState state, DateTimeOffset now, TransactionInfo? transaction) => state with
        {
            LastMessageAt = now, Transaction = transaction,
            MeterAt = At, PowerW = PowerW, EnergyWh = EnergyWh, CurrentA = CurrentA, PhaseCurrentA = PhaseCurrentA, VoltageV = VoltageV,
        };
    }

    /// <summary>The box's timestamp, unless it is further ahead of ours than a clock may drift: then ours.</summary>
    private static DateTimeOffset Believed(DateTimeOffset boxTime, DateTimeOffset now) => boxTime > now + MaxClockAhead ? now : boxTime;
}

using BmwWallbox.Core;
using BmwWallbox.Ocpp.Messages;
using TransactionInfo = BmwWallbox.Core.TransactionInfo;

namespace BmwWallbox.Ocpp.State;

/// <summary>How each station message changes a <see cref="WallboxState"/>: pure functions of (tracker, message, now).</summary>
internal static class StateReducer
{
    private static readonly IReadOnlyList<WallboxEventKind> None = [];

    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Connected(StationTracker t, object connection, DateTimeOffset now)
    {
        t.Connection = connection;
        return (t.State with { Connected = true, ConnectedAt = now }, [WallboxEventKind.Connected]);
    }

    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Disconnected(StationTracker t, object connection, DateTimeOffset now)
    {
        if (t.Connection != connection) return (t.State, None); // already replaced by a newer connection
        t.Connection = null;
        return (t.State with { Connected = false, DisconnectedAt = now }, [WallboxEventKind.Disconnected]);
    }

    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Message(StationTracker t, DateTimeOffset now)
        => (t.State with { LastMessageAt = now }, None);

    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Boot(StationTracker t, BootNotificationRequest boot, DateTimeOffset now)
    {
        var station = boot.ChargingStation;
        var info = new BootInfo(station.VendorName, station.Model, station.SerialNumber, station.FirmwareVersion, boot.Reason.ToString(), now);
        return (t.State with { LastMessageAt = now, Boot = info }, [WallboxEventKind.Booted]);
    }

    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Heartbeat(StationTracker t, DateTimeOffset now)
        => (t.State with { LastMessageAt = now, LastHeartbeatAt = now }, [WallboxEventKind.Heartbeat]);

    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Status(StationTracker t, StatusNotificationRequest status, DateTimeOffset now)
    {
        var state = t.State with { LastMessageAt = now };
        if (t.StatusAt is { } last && status.Timestamp < last) return (state, None); // a queued older status (quirk 12)
        t.StatusAt = status.Timestamp;
        return state.Status == status.ConnectorStatus
            ? (state, None)
            : (state with { Status = status.ConnectorStatus }, [WallboxEventKind.StatusChanged]);
    }

    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Meter(StationTracker t, IReadOnlyList<MeterValue>? meterValues, DateTimeOffset now)
    {
        var state = ApplyMeterValues(t.State with { LastMessageAt = now }, meterValues, out var applied);
        return (state, applied ? [WallboxEventKind.MeterValues] : None);
    }

    /// <summary>
    /// Deduplicates by (transactionId, seqNo) and never lets an older event (offline replay,
    /// quirk 12) overwrite newer state: within a transaction only a higher seqNo changes it, and
    /// another transaction is taken over only when it did not start before the known one.
    /// </summary>
    public static (WallboxState, IReadOnlyList<WallboxEventKind>) Transaction(StationTracker t, TransactionEventRequest e, DateTimeOffset now)
    {
        var state = t.State with { LastMessageAt = now };
        if (!t.FirstTimeSeen(e.TransactionInfo.TransactionId, e.SeqNo)) return (state, None);

        var kinds = new List<WallboxEventKind>();
        var known = state.Transaction;
        var info = e.TransactionInfo;
        var ended = e.EventType == TransactionEventType.Ended;
        if (known is null || known.Id != info.TransactionId)
        {
            if (known is null || e.Timestamp >= known.StartedAt)
            {
                state = state with
                {
                    Transaction = new TransactionInfo(info.TransactionId, e.Timestamp, info.ChargingState, e.IdToken?.Value, e.SeqNo,
                        ended ? e.Timestamp : null, ended ? info.StoppedReason?.ToString() : null),
                };
                kinds.Add(ended ? WallboxEventKind.TransactionEnded : WallboxEventKind.TransactionStarted);
            }
        }
        else if (e.SeqNo > known.LastSeqNo && known.IsActive)
        {
            var next = known with
            {
                LastSeqNo = e.SeqNo,
                ChargingState = info.ChargingState ?? known.ChargingState,
                IdToken = e.IdToken?.Value ?? known.IdToken,
            };
            if (next.ChargingState != known.ChargingState) kinds.Add(WallboxEventKind.ChargingStateChanged);
            if (ended)
            {
                next = next with { EndedAt = e.Timestamp, StoppedReason = info.StoppedReason?.ToString() };
                kinds.Add(WallboxEventKind.TransactionEnded);
            }
            state = state with { Transaction = next };
        }

        state = ApplyMeterValues(state, e.MeterValue, out var applied);
        if (applied) kinds.Add(WallboxEventKind.MeterValues);
        return (state, kinds);
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

    private static WallboxState ApplyMeterValues(WallboxState state, IReadOnlyList<MeterValue>? meterValues, out bool applied)
    {
        applied = false;
        foreach (var reading in (meterValues ?? []).Select(MeterReading.Read).OrderBy(r => r.At))
        {
            if (reading.IsEmpty || state.MeterAt is { } last && reading.At < last) continue; // nothing to read, or older than what we show
            state = state with
            {
                MeterAt = reading.At,
                PowerW = reading.PowerW ?? state.PowerW,
                EnergyWh = reading.EnergyWh ?? state.EnergyWh,
                CurrentA = reading.CurrentA ?? state.CurrentA,
                PhaseCurrentA = reading.PhaseCurrentA ?? state.PhaseCurrentA,
                VoltageV = reading.VoltageV ?? state.VoltageV,
            };
            applied = true;
        }
        return state;
    }
}

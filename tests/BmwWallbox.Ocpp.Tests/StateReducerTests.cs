using BmwWallbox.Core;
using BmwWallbox.Ocpp.Messages;
using BmwWallbox.Ocpp.State;
using BmwWallbox.Ocpp.Tests.Support;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.Ocpp.Tests;

public sealed class StateReducerTests
{
    private const string Station = "DE*BMW*E1";
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2025-03-01T10:00:00Z");
    private readonly ManualClock _time = new(T0);
    private readonly WallboxStateStore _store;
    private readonly StateWatcher _watcher;

    public StateReducerTests()
    {
        _store = new WallboxStateStore([new StationOptions { Id = Station, Name = "garage" }], _time, new TestLogs().CreateLogger("s"));
        _watcher = new StateWatcher(_store);
    }

    private List<WallboxEventKind> Apply(TransactionEventRequest e)
    {
        if (e.Timestamp > _time.GetUtcNow()) _time.SetUtcNow(e.Timestamp); // events happen in real time
        _store.Update(Station, (t, now) => StateReducer.Transaction(t, e, now));
        return _watcher.Drain();
    }

    private static TransactionEventRequest Tx(
        TransactionEventType type, int seqNo, int minute, ChargingState? state = null, string id = "tx-1",
        bool? offline = null, double? energyWh = null, StoppedReason? reason = null)
        => new(type, T0.AddMinutes(minute), TriggerReason.ChargingStateChanged, seqNo, new TransactionData(id, state, StoppedReason: reason),
            Offline: offline,
            IdToken: type == TransactionEventType.Started ? new IdToken("CAR1", IdTokenKind.ISO14443) : null,
            MeterValue: energyWh is { } wh ? [new MeterValue(T0.AddMinutes(minute), [new SampledValue(wh)])] : null);

    [Fact]
    public void All_configured_stations_exist_from_the_start_disconnected()
    {
        var state = Assert.Single(_store.All);
        Assert.Equal((Station, "garage", false), (state.StationId, state.Name, state.Connected));
    }

    [Fact]
    public void A_transaction_runs_through_started_charging_state_changes_and_ended()
    {
        Assert.Equal([WallboxEventKind.TransactionStarted, WallboxEventKind.MeterValues], Apply(Tx(TransactionEventType.Started, 0, 0, ChargingState.EVConnected, energyWh: 100)));
        Assert.Equal([WallboxEventKind.ChargingStateChanged], Apply(Tx(TransactionEventType.Updated, 1, 1, ChargingState.Charging)));
        Assert.Equal(ChargingState.Charging, _store.Get(Station)!.ChargingState);
        Assert.Equal([WallboxEventKind.ChargingStateChanged, WallboxEventKind.TransactionEnded, WallboxEventKind.MeterValues],
            Apply(Tx(TransactionEventType.Ended, 2, 30, ChargingState.Idle, energyWh: 5100, reason: StoppedReason.EVDisconnected)));

        var tx = _store.Get(Station)!.Transaction!;
        Assert.Equal(("tx-1", "CAR1", 2, "EVDisconnected"), (tx.Id, tx.IdToken, tx.LastSeqNo, tx.StoppedReason));
        Assert.Equal(T0, tx.StartedAt);
        Assert.Equal(T0.AddMinutes(30), tx.EndedAt);
        Assert.False(_store.Get(Station)!.HasActiveTransaction);
        Assert.Equal(5100, _store.Get(Station)!.EnergyWh);
    }

    [Fact]
    public void A_replayed_event_with_the_same_transaction_and_seqNo_changes_nothing()
    {
        Apply(Tx(TransactionEventType.Started, 0, 0, ChargingState.Charging));
        var before = _store.Get(Station);

        Assert.Empty(Apply(Tx(TransactionEventType.Started, 0, 0, ChargingState.Charging, offline: true)));
        Assert.Equal(before!.Transaction, _store.Get(Station)!.Transaction);
    }

    [Fact]
    public void An_offline_replay_of_an_older_event_never_overwrites_newer_state_quirk_12()
    {
        Apply(Tx(TransactionEventType.Started, 0, 0, ChargingState.EVConnected, energyWh: 100));
        Apply(Tx(TransactionEventType.Updated, 2, 10, ChargingState.Charging, energyWh: 1500));

        // seqNo 1 was queued while offline and arrives late, with an older state and meter reading.
        var kinds = Apply(Tx(TransactionEventType.Updated, 1, 5, ChargingState.SuspendedEV, offline: true, energyWh: 800));

        Assert.Empty(kinds);
        var state = _store.Get(Station)!;
        Assert.Equal(ChargingState.Charging, state.ChargingState);
        Assert.Equal(2, state.Transaction!.LastSeqNo);
        Assert.Equal(1500, state.EnergyWh);
    }

    [Fact]
    public void A_replayed_older_transaction_does_not_replace_the_current_one()
    {
        Apply(Tx(TransactionEventType.Started, 0, 60, ChargingState.Charging, id: "tx-new"));

        var kinds = Apply(Tx(TransactionEventType.Ended, 7, 30, ChargingState.Idle, id: "tx-old", offline: true, reason: StoppedReason.EVDisconnected));

        Assert.Empty(kinds);
        Assert.Equal("tx-new", _store.Get(Station)!.Transaction!.Id);
        Assert.True(_store.Get(Station)!.HasActiveTransaction);
    }

    [Fact]
    public void A_transaction_first_seen_mid_way_is_taken_over_after_a_CSMS_restart()
    {
        Assert.Equal([WallboxEventKind.TransactionStarted], Apply(Tx(TransactionEventType.Updated, 5, 0, ChargingState.SuspendedEVSE)));
        Assert.Equal(ChargingState.SuspendedEVSE, _store.Get(Station)!.ChargingState);
    }

    [Fact]
    public void Live_meter_values_and_statuses_count_in_arrival_order_whatever_their_timestamps()
    {
        _time.SetUtcNow(T0.AddMinutes(5));
        _store.Update(Station, (t, now) => StateReducer.Meter(t, [new MeterValue(T0.AddMinutes(5), [new SampledValue(7400, Measurand: Measurand.PowerActiveImport)])], now));
        _store.Update(Station, (t, now) => StateReducer.Meter(t, [new MeterValue(T0, [new SampledValue(0, Measurand: Measurand.PowerActiveImport)])], now));
        Assert.Equal(0, _store.Get(Station)!.PowerW);

        _store.Update(Station, (t, now) => StateReducer.Status(t, new StatusNotificationRequest(T0.AddMinutes(5), ConnectorStatus.Occupied, 1, 1), now));
        _store.Update(Station, (t, now) => StateReducer.Status(t, new StatusNotificationRequest(T0, ConnectorStatus.Available, 1, 1), now));
        Assert.Equal(ConnectorStatus.Available, _store.Get(Station)!.Status);
    }

    [Fact]
    public void A_timestamp_far_ahead_of_our_clock_is_taken_as_now()
    {
        _store.Update(Station, (t, now) => StateReducer.Meter(t, [new MeterValue(T0.AddDays(1), [new SampledValue(7400, Measurand: Measurand.PowerActiveImport)])], now));
        _store.Update(Station, (t, now) => StateReducer.Transaction(t, Tx(TransactionEventType.Started, 0, 0, ChargingState.Charging) with { Timestamp = T0.AddYears(10) }, now));

        var state = _store.Get(Station)!;
        Assert.Equal((T0, T0), (state.MeterAt, state.Transaction!.StartedAt));
    }

    [Fact]
    public void An_offline_replay_of_a_newer_transaction_takes_over_an_ended_one()
    {
        Apply(Tx(TransactionEventType.Started, 0, 0, ChargingState.Charging, id: "tx-1"));
        Apply(Tx(TransactionEventType.Ended, 1, 20, ChargingState.Idle, id: "tx-1", offline: true, reason: StoppedReason.EVDisconnected));

        var kinds = Apply(Tx(TransactionEventType.Started, 0, 25, ChargingState.Charging, id: "tx-2", offline: true));

        Assert.Equal([WallboxEventKind.TransactionStarted], kinds);
        Assert.Equal(("tx-2", true), (_store.Get(Station)!.Transaction!.Id, _store.Get(Station)!.HasActiveTransaction));
    }

    [Fact]
    public void After_a_boot_a_reused_transaction_id_is_a_new_transaction()
    {
        Apply(Tx(TransactionEventType.Started, 0, 0, ChargingState.Charging, id: "1"));
        Apply(Tx(TransactionEventType.Updated, 1, 1, ChargingState.Charging, id: "1"));
        _store.Update(Station, (t, now) => StateReducer.Boot(t, new BootNotificationRequest(new ChargingStationInfo("EIAW", "BMW Group"), BootReason.PowerUp), now));

        var kinds = Apply(Tx(TransactionEventType.Started, 0, 3, ChargingState.EVConnected, id: "1"));

        Assert.Contains(WallboxEventKind.TransactionStarted, kinds);
        var tx = _store.Get(Station)!.Transaction!;
        Assert.Equal((0, ChargingState.EVConnected, T0.AddMinutes(3)), (tx.LastSeqNo, tx.ChargingState, tx.StartedAt));
    }

    [Fact]
    public void Meter_values_that_lack_a_measurand_keep_the_last_known_value()
    {
        _store.Update(Station, (t, now) => StateReducer.Meter(t, [new MeterValue(T0, [new SampledValue(7400, Measurand: Measurand.PowerActiveImport), new SampledValue(100)])], now));
        _store.Update(Station, (t, now) => StateReducer.Meter(t, [new MeterValue(T0.AddMinutes(1), [new SampledValue(220)])], now)); // energy only (TxUpdatedMeasurands)

        var state = _store.Get(Station)!;
        Assert.Equal((7400.0, 220.0), (state.PowerW, state.EnergyWh));
        Assert.Equal(T0.AddMinutes(1), state.MeterAt);
    }

    [Fact]
    public void A_heartbeat_is_announced_without_a_new_snapshot_yet_readers_see_when_the_station_was_last_heard()
    {
        var before = _store.Get(Station)!;
        WallboxEvent? announced = null;
        _store.Changed += e => announced = e;
        _time.Advance(TimeSpan.FromSeconds(10));

        _store.Update(Station, (t, now) => StateReducer.Heartbeat(t, now));

        Assert.Equal(WallboxEventKind.Heartbeat, announced!.Kind);
        Assert.Same(before, announced.State); // nothing to age in the old generation
        var read = _store.Get(Station)!;
        Assert.Equal(T0.AddSeconds(10), read.LastHeartbeatAt);
        Assert.Equal(T0.AddSeconds(10), read.LastMessageAt);
        Assert.Equal(T0.AddSeconds(10), Assert.Single(_store.All).LastHeartbeatAt);
    }

    [Fact]
    public void Last_heard_times_stay_right_when_heartbeats_other_messages_and_changes_interleave()
    {
        _store.Update(Station, (t, now) => StateReducer.Heartbeat(t, now));
        _time.Advance(TimeSpan.FromSeconds(5));
        _store.Update(Station, (t, now) => StateReducer.Status(t, new StatusNotificationRequest(T0, ConnectorStatus.Occupied, 1, 1), now));
        _time.Advance(TimeSpan.FromSeconds(5));
        _store.Update(Station, (t, now) => StateReducer.Message(t, now));

        var read = _store.Get(Station)!;
        Assert.Equal(ConnectorStatus.Occupied, read.Status);
        Assert.Equal(T0, read.LastHeartbeatAt);
        Assert.Equal(T0.AddSeconds(10), read.LastMessageAt);
    }

    [Fact]
    public void A_failing_subscriber_does_not_stop_the_others()
    {
        var seen = 0;
        _store.Changed += _ => throw new InvalidOperationException("boom");
        _store.Changed += _ => seen++;

        _store.Update(Station, (t, now) => StateReducer.Heartbeat(t, now));

        Assert.Equal(1, seen);
        Assert.Equal(T0, _store.Get(Station)!.LastHeartbeatAt);
    }
}

using BmwWallbox.Core;
using BmwWallbox.Ocpp.Messages;
using BmwWallbox.Ocpp.State;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>Issue 14: events leave the receive path; each subscriber has its own queue.</summary>
public sealed class QueuedEventDeliveryTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2025-03-01T10:00:00Z");
    private readonly ManualClock _time = new(T0);
    private readonly TestLogs _logs = new();

    private WallboxStateStore Create(params string[] stations)
        => new([.. stations.Select(id => new StationOptions { Id = id, Name = id.ToLowerInvariant() })], _time, _logs.CreateLogger("s"), WallboxEventDelivery.Queued);

    private static void Meter(WallboxStateStore store, string station, double watts)
        => store.Update(station, (t, now) => StateReducer.Meter(t, [new MeterValue(now, [new SampledValue(watts, Measurand: Measurand.PowerActiveImport)])], now));

    private static void Status(WallboxStateStore store, string station, ConnectorStatus status)
        => store.Update(station, (t, now) => StateReducer.Status(t, new StatusNotificationRequest(now, status, 1, 1), now));

    [Fact]
    public async Task A_stalled_subscriber_does_not_hold_up_updates_and_then_gets_every_status_change_and_the_latest_meter_value()
    {
        var store = Create("A");
        var release = new ManualResetEventSlim();
        var stalled = new TaskCompletionSource();
        var seen = new List<(WallboxEventKind Kind, double? PowerW, ConnectorStatus? Status)>();
        store.Changed += e =>
        {
            stalled.TrySetResult();
            release.Wait(TestTimeouts.Guard); // a broker that does not answer
            lock (seen) seen.Add((e.Kind, e.State.PowerW, e.State.Status));
        };

        Meter(store, "A", 100);
        await stalled.Task.WaitAsync(TestTimeouts.Guard); // the subscriber is stuck on this one
        for (var w = 200; w <= 1000; w += 100) Meter(store, "A", w);
        Status(store, "A", ConnectorStatus.Occupied);
        Meter(store, "A", 1100);
        Meter(store, "A", 1200);
        Status(store, "A", ConnectorStatus.Available);

        // Every update returned while the subscriber was stuck; the state is current.
        Assert.Equal(1200, store.Get("A")!.PowerW);
        release.Set();
        await store.WhenDeliveredAsync().WaitAsync(TestTimeouts.Guard);

        Assert.Equal(
            [
                (WallboxEventKind.MeterValues, 100, null),
                (WallboxEventKind.MeterValues, 1000, null),
                (WallboxEventKind.StatusChanged, 1000, ConnectorStatus.Occupied),
                (WallboxEventKind.MeterValues, 1200, ConnectorStatus.Occupied),
                (WallboxEventKind.StatusChanged, 1200, ConnectorStatus.Available),
            ],
            seen);
    }

    [Fact]
    public async Task A_merged_event_carries_the_state_the_subscriber_saw_before_it_as_previous()
    {
        var store = Create("A");
        var release = new ManualResetEventSlim();
        var stalled = new TaskCompletionSource();
        var seen = new List<WallboxEvent>();
        store.Changed += e =>
        {
            stalled.TrySetResult();
            release.Wait(TestTimeouts.Guard);
            lock (seen) seen.Add(e);
        };

        Meter(store, "A", 100);
        await stalled.Task.WaitAsync(TestTimeouts.Guard);
        Meter(store, "A", 200);
        store.Update("A", StateReducer.Heartbeat);
        Meter(store, "A", 300);
        release.Set();
        await store.WhenDeliveredAsync().WaitAsync(TestTimeouts.Guard);

        // The merged kinds come once each, in the order of WallboxEventKind, with the newest state.
        Assert.Equal([WallboxEventKind.MeterValues, WallboxEventKind.Heartbeat, WallboxEventKind.MeterValues], seen.Select(e => e.Kind));
        Assert.All(seen.Skip(1), e => Assert.Equal(300, e.State.PowerW));
        Assert.All(seen.Skip(1), e => Assert.Equal(100, e.Previous!.PowerW));
    }

    [Fact]
    public async Task Each_station_s_events_arrive_in_order_while_stations_update_in_parallel()
    {
        string[] stations = ["A", "B", "C", "D"];
        var store = Create(stations);
        var seen = new List<WallboxEvent>();
        store.Changed += e => { lock (seen) seen.Add(e); };

        await Task.WhenAll(stations.Select(id => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++) Status(store, id, i % 2 == 0 ? ConnectorStatus.Occupied : ConnectorStatus.Available);
        })));
        await store.WhenDeliveredAsync().WaitAsync(TestTimeouts.Guard);

        foreach (var id in stations)
        {
            var mine = seen.Where(e => e.State.StationId == id).ToList();
            Assert.Equal(200, mine.Count);
            // Each event follows the one before it: previous is the state the subscriber saw last.
            for (var i = 1; i < mine.Count; i++) Assert.Same(mine[i - 1].State, mine[i].Previous);
        }
    }

    [Fact]
    public async Task A_failing_subscriber_does_not_stop_the_others_or_its_own_queue()
    {
        var store = Create("A");
        _logs.AllowErrors(e => e.Message.Contains("subscriber failed"));
        var good = 0;
        var bad = 0;
        store.Changed += _ =>
        {
            Interlocked.Increment(ref bad);
            throw new InvalidOperationException("boom");
        };
        store.Changed += _ => Interlocked.Increment(ref good);

        Status(store, "A", ConnectorStatus.Occupied);
        Status(store, "A", ConnectorStatus.Available);
        await store.WhenDeliveredAsync().WaitAsync(TestTimeouts.Guard);

        Assert.Equal((2, 2), (good, bad));
    }

    [Fact]
    public async Task An_unsubscribed_handler_gets_nothing_more_and_receive_path_handlers_see_every_event_at_once()
    {
        var store = Create("A");
        var queued = 0;
        var inline = new List<double?>();
        void Count(WallboxEvent _) => Interlocked.Increment(ref queued);
        store.Changed += Count;
        store.AddReceivePathHandler(e => inline.Add(e.State.PowerW));

        Meter(store, "A", 100);
        Meter(store, "A", 200);
        Assert.Equal([100, 200], inline); // before Update returned, uncoalesced
        await store.WhenDeliveredAsync().WaitAsync(TestTimeouts.Guard);
        var before = queued;
        store.Changed -= Count;
        Status(store, "A", ConnectorStatus.Occupied);
        await store.WhenDeliveredAsync().WaitAsync(TestTimeouts.Guard);

        Assert.InRange(before, 1, 2);
        Assert.Equal(before, queued);
    }

    [Fact]
    public async Task A_subscriber_with_an_interest_gets_only_the_events_it_accepts_in_order_and_can_unsubscribe()
    {
        var store = Create("A");
        var seen = new List<(WallboxEventKind Kind, ConnectorStatus? Status, ConnectorStatus? Before)>();
        var everything = 0;
        store.Changed += _ => Interlocked.Increment(ref everything);
        var subscription = store.Subscribe(e => { lock (seen) seen.Add((e.Kind, e.State.Status, e.Previous?.Status)); },
            e => e.Kind == WallboxEventKind.StatusChanged);

        Meter(store, "A", 100);
        Status(store, "A", ConnectorStatus.Occupied);
        Meter(store, "A", 200);
        store.Update("A", StateReducer.Heartbeat);
        Status(store, "A", ConnectorStatus.Available);
        await store.WhenDeliveredAsync().WaitAsync(TestTimeouts.Guard);

        Assert.Equal([(WallboxEventKind.StatusChanged, ConnectorStatus.Occupied, null), (WallboxEventKind.StatusChanged, ConnectorStatus.Available, ConnectorStatus.Occupied)], seen);
        Assert.Equal(5, everything); // a plain subscriber beside it still gets every event

        subscription.Dispose();
        Status(store, "A", ConnectorStatus.Occupied);
        await store.WhenDeliveredAsync().WaitAsync(TestTimeouts.Guard);
        Assert.Equal(2, seen.Count);
    }
}

using BmwWallbox.Core;
using BmwWallbox.History.Tests.Support;

namespace BmwWallbox.History.Tests;

/// <summary>
/// Quirk 12 (offline TransactionEvents replayed with the same transaction id) and restarts: every session
/// is recorded once, a session a crash left open is closed at its last save, and continued when its
/// transaction turns out to go on.
/// </summary>
public sealed class ReplayAndRestartTests
{
    private static async Task<(WallboxState Started, WallboxState Ended)> OneSessionAsync(HistoryRig rig)
    {
        rig.Station.PlugIn();
        var started = rig.Station.State;
        rig.Station.Charging(true);
        rig.Advance(TimeSpan.FromMinutes(30));
        rig.Station.Meter(4000, 6000);
        rig.Station.Unplug();
        var ended = rig.Station.State;
        await rig.Recorder.IdleAsync();
        return (started, ended);
    }

    private static void AssertSame(ChargingSession expected, ChargingSession actual)
    {
        Assert.Equal(expected with { LimitSources = [] }, actual with { LimitSources = [] });
        Assert.Equal(expected.LimitSources, actual.LimitSources);
    }

    [Fact]
    public async Task Replayed_transaction_events_are_counted_once()
    {
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        var (started, ended) = await OneSessionAsync(rig);
        var before = Assert.Single(await rig.SessionsAsync());

        // The box reconnects and replays its queue: Started, an update and Ended of the same transaction.
        rig.Advance(TimeSpan.FromMinutes(5));
        rig.Station.Replay(WallboxEventKind.TransactionStarted, started);
        rig.Station.Replay(WallboxEventKind.MeterValues, started with { EnergyWh = 4000 });
        rig.Station.Replay(WallboxEventKind.TransactionEnded, ended);

        AssertSame(before, Assert.Single(await rig.SessionsAsync()));
    }

    [Fact]
    public async Task Replays_after_a_restart_are_counted_once_too()
    {
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        var (started, ended) = await OneSessionAsync(rig);
        var before = Assert.Single(await rig.SessionsAsync());
        await rig.Recorder.DisposeAsync();

        rig.Restart();
        rig.Advance(TimeSpan.FromMinutes(5));
        rig.Station.Replay(WallboxEventKind.TransactionStarted, started with { EnergyWh = 4000 });
        rig.Advance(TimeSpan.FromMinutes(1));
        rig.Station.Replay(WallboxEventKind.MeterValues, started with { EnergyWh = 4000, PowerW = 6000 });
        rig.Station.Replay(WallboxEventKind.TransactionEnded, ended);

        AssertSame(before, Assert.Single(await rig.SessionsAsync()));
    }

    [Fact]
    public async Task A_box_that_reuses_an_id_after_a_reboot_starts_a_new_session()
    {
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        await OneSessionAsync(rig);
        rig.Advance(TimeSpan.FromHours(2));
        rig.Station.PlugIn("tx-1");
        rig.Advance(TimeSpan.FromMinutes(10));
        rig.Station.Meter(5000, 6000);
        rig.Station.Unplug();

        var sessions = await rig.SessionsAsync();
        Assert.Equal(2, sessions.Count);
        Assert.Equal([3.0, 1.0], sessions.Select(s => Math.Round(s.EnergyKWh, 6)));
    }

    [Fact]
    public async Task A_crash_closes_the_open_session_at_its_last_save_and_the_going_on_transaction_continues_it()
    {
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        rig.Station.PlugIn();
        rig.Station.Charging(true);
        rig.Advance(TimeSpan.FromMinutes(20));
        rig.Station.Meter(3000, 6000);
        await rig.Recorder.IdleAsync();
        var savedAt = rig.Clock.GetUtcNow();
        rig.Advance(TimeSpan.FromSeconds(10));
        rig.Station.Meter(3010, 6000); // not saved: within the save interval, then the crash
        await rig.Recorder.AbandonAsync();
        var going = rig.Station.State;

        rig.Advance(TimeSpan.FromMinutes(10));
        rig.Station.Forget();
        var recorder = rig.Restart();
        var closed = Assert.Single(await rig.SessionsAsync());
        Assert.Equal(SessionStore.ClosedAtRestart, closed.EndReason);
        Assert.Equal(savedAt, closed.EndedAt);
        Assert.Equal(2, closed.EnergyKWh, 6);

        // The box reconnects; its transaction goes on (the controller recovers it, quirk 9).
        rig.Station.Raise(WallboxEventKind.TransactionStarted, _ => going with { EnergyWh = 4000 });
        rig.Advance(TimeSpan.FromMinutes(10));
        rig.Station.Meter(5000, 6000);
        rig.Station.Unplug();

        var s = Assert.Single(await rig.SessionsAsync());
        Assert.Equal(closed.Id, s.Id);
        Assert.Equal("EVDisconnected", s.EndReason);
        Assert.Equal(4, s.EnergyKWh, 6);
        Assert.Equal(1000, s.MeterStartWh);
        Assert.Equal(5000, s.MeterStopWh);
        Assert.Equal(rig.Clock.GetUtcNow(), s.EndedAt);
        Assert.Same(recorder, rig.Recorder);
    }

    [Fact]
    public async Task A_transaction_that_ended_while_we_were_down_gets_its_real_end_and_energy()
    {
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        rig.Station.PlugIn();
        rig.Advance(TimeSpan.FromMinutes(20));
        rig.Station.Meter(3000, 6000);
        await rig.Recorder.IdleAsync();
        await rig.Recorder.AbandonAsync();

        // While bmw-rules is down the car charges on and is unplugged; the box replays its Ended on reconnect.
        rig.Advance(TimeSpan.FromMinutes(30));
        var endedAt = rig.Clock.GetUtcNow();
        var ended = rig.Station.State with
        {
            EnergyWh = 6000,
            Transaction = rig.Station.State.Transaction! with { EndedAt = endedAt, StoppedReason = "EVDisconnected" },
            Status = ConnectorStatus.Available,
        };
        rig.Advance(TimeSpan.FromMinutes(30));
        rig.Station.Forget();
        rig.Restart();
        rig.Station.Replay(WallboxEventKind.TransactionEnded, ended);
        rig.Station.Replay(WallboxEventKind.StatusChanged, ended);

        var s = Assert.Single(await rig.SessionsAsync());
        Assert.Equal("EVDisconnected", s.EndReason);
        Assert.Equal(endedAt, s.EndedAt);
        Assert.Equal(5, s.EnergyKWh, 6);
    }

    [Fact]
    public async Task A_transaction_the_box_renames_after_a_reconnect_stays_one_session()
    {
        // Quirk 9: the box goes on with the same charging under a new id, first seen in an Updated (seqNo above 0).
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        rig.Station.PlugIn("tx-1");
        rig.Advance(TimeSpan.FromMinutes(10));
        rig.Station.Meter(2000, 6000);
        rig.Station.Raise(WallboxEventKind.TransactionStarted, s => s with
        {
            Transaction = new TransactionInfo("tx-2", rig.Clock.GetUtcNow(), ChargingState.Charging, null, 3),
        });
        rig.Advance(TimeSpan.FromMinutes(10));
        rig.Station.Meter(3000, 6000);
        rig.Station.Unplug();

        var s = Assert.Single(await rig.SessionsAsync());
        Assert.Equal("tx-2", s.TransactionId);
        Assert.Equal(2, s.EnergyKWh, 6);
        Assert.Equal("EVDisconnected", s.EndReason);
    }

    [Fact]
    public async Task A_transaction_renamed_while_we_were_down_ends_the_session_a_restart_closed()
    {
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        rig.Station.PlugIn("tx-1");
        rig.Advance(TimeSpan.FromMinutes(10));
        rig.Station.Meter(2000, 6000);
        await rig.Recorder.IdleAsync();
        await rig.Recorder.AbandonAsync();
        var going = rig.Station.State;

        rig.Advance(TimeSpan.FromMinutes(10));
        rig.Station.Forget();
        rig.Restart();
        // The box reconnects and the car is unplugged at once: the first the new run hears of it is the Ended, under the new id.
        var endedAt = rig.Clock.GetUtcNow();
        rig.Station.Replay(WallboxEventKind.TransactionEnded, going with
        {
            EnergyWh = 3500,
            Transaction = new TransactionInfo("tx-2", endedAt, ChargingState.Idle, null, 4, endedAt, "EVDisconnected"),
        });

        var s = Assert.Single(await rig.SessionsAsync());
        Assert.Equal("tx-2", s.TransactionId);
        Assert.Equal("EVDisconnected", s.EndReason);
        Assert.Equal(2.5, s.EnergyKWh, 6);
        Assert.Equal(endedAt, s.EndedAt);
    }

    [Fact]
    public async Task A_new_plug_in_under_another_id_while_a_session_is_open_is_a_new_session()
    {
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        rig.Station.PlugIn("tx-1");
        rig.Advance(TimeSpan.FromMinutes(10));
        rig.Station.Meter(2000, 6000);
        rig.Station.PlugIn("tx-7"); // a Started (seqNo 0): the box never said the first one ended
        rig.Advance(TimeSpan.FromMinutes(10));
        rig.Station.Meter(2500, 3000);
        rig.Station.Unplug();

        var sessions = await rig.SessionsAsync();
        Assert.Equal(["replaced", "EVDisconnected"], sessions.Select(s => s.EndReason));
        Assert.Equal([1.0, 0.5], sessions.Select(s => Math.Round(s.EnergyKWh, 6)));
    }
}

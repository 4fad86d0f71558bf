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
}

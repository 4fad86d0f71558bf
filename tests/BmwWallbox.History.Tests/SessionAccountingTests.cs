using BmwWallbox.Core;
using BmwWallbox.History.Tests.Support;

namespace BmwWallbox.History.Tests;

/// <summary>What one session adds up to, in virtual time: energy from the meter register, solar, cost, time split, limit sources.</summary>
public sealed class SessionAccountingTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>11 kW for an hour (half of it with 5.5 kW surplus), then paused half an hour by a person, then unplugged.</summary>
    private static async Task ChargeAnHourThenPauseAsync(HistoryRig rig)
    {
        rig.Signals.Set(HistoryRig.Surplus, 5500);
        rig.Signals.Set(HistoryRig.Price, 0.30);
        rig.Station.PlugIn();
        rig.Controller.Set(16, "solar-rule");
        rig.Station.Charging(true);
        var register = 1000.0;
        for (var minute = 1; minute <= 60; minute++)
        {
            rig.Advance(Minute);
            register += 11000.0 / 60;
            rig.Station.Meter(register, 11000);
            if (minute == 30) rig.Signals.Set(HistoryRig.Surplus, 0);
        }
        rig.Controller.Set(0, "alice:pause");
        rig.Station.Charging(false);
        rig.Station.Meter(register, 0);
        rig.Advance(TimeSpan.FromMinutes(30));
        rig.Station.Unplug();
    }

    [Fact]
    public async Task A_session_adds_up_energy_solar_cost_and_time()
    {
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        var start = rig.Clock.GetUtcNow();

        await ChargeAnHourThenPauseAsync(rig);

        var s = Assert.Single(await rig.SessionsAsync());
        Assert.Equal("DE*BMW*1", s.StationId);
        Assert.Equal("garage", s.StationName);
        Assert.Equal("tx-1", s.TransactionId);
        Assert.Equal("card-1", s.IdToken);
        Assert.Equal(start, s.StartedAt);
        Assert.Equal(start.AddMinutes(90), s.EndedAt);
        Assert.Equal("EVDisconnected", s.EndReason);
        Assert.Equal(1000, s.MeterStartWh);
        Assert.Equal(12000, s.MeterStopWh!.Value, 6);
        Assert.Equal(11, s.EnergyKWh, 6);
        Assert.Equal(2.75, s.SolarKWh!.Value, 6);
        Assert.Equal(8.25, s.GridKWh!.Value, 6);
        Assert.Equal(0.25, s.SolarShare!.Value, 6);
        Assert.Equal(8.25 * 0.30, s.Cost!.Value, 6);
        Assert.Equal("EUR", s.Currency);
        Assert.Equal(11000, s.MaxPowerW);
        Assert.Equal(11000, s.AvgPowerW, 3);
        Assert.Equal(TimeSpan.FromMinutes(60), s.ChargingTime);
        Assert.Equal(TimeSpan.FromMinutes(30), s.PausedTime);
        Assert.Equal([new LimitSourceTime("solar-rule", TimeSpan.FromMinutes(60)), new LimitSourceTime("alice:pause", TimeSpan.FromMinutes(30))], s.LimitSources);
    }

    [Fact]
    public async Task The_saved_record_matches_what_the_recorder_shows()
    {
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        await ChargeAnHourThenPauseAsync(rig);
        var shown = Assert.Single(await rig.SessionsAsync());
        await rig.Recorder.StopAsync();

        var saved = Assert.Single(SessionStore.Query(rig.DatabasePath, new SessionQuery()));
        Assert.Equal(shown with { AvgPowerW = 0 }, saved with { AvgPowerW = 0, LimitSources = shown.LimitSources });
        Assert.Equal(shown.LimitSources, saved.LimitSources);
        Assert.Equal(shown.AvgPowerW, saved.AvgPowerW, 6);
    }

    [Fact]
    public async Task Energy_comes_from_the_register_however_few_readings_arrive()
    {
        // Coalesced meter events: one reading after 40 minutes carries the whole energy; the surplus
        // changed in between, so the solar part follows the time the signal said.
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        rig.Signals.Set(HistoryRig.Surplus, 20000);
        rig.Station.PlugIn();
        rig.Station.Charging(true);
        rig.Advance(TimeSpan.FromMinutes(10));
        rig.Signals.Set(HistoryRig.Surplus, -3000);
        rig.Advance(TimeSpan.FromMinutes(30));
        rig.Station.Meter(1000 + 4000, 6000); // 4 kWh in 40 min = 6 kW on average
        rig.Station.Unplug();

        var s = Assert.Single(await rig.SessionsAsync());
        Assert.Equal(4, s.EnergyKWh, 6);
        Assert.Equal(1, s.SolarKWh!.Value, 6); // 10 min × min(6 kW, 20 kW); negative surplus is none
        Assert.Equal(3 * 0.0, s.Cost!.Value, 6); // no price signal value, no fixed price: not costed
    }

    [Fact]
    public async Task A_fixed_price_costs_the_grid_part_and_solar_price_the_solar_part()
    {
        await using var rig = new HistoryRig(new HistoryOptions { SurplusSignal = HistoryRig.Surplus, FixedPrice = 0.40, SolarPrice = 0.08, Currency = "CHF" });
        rig.Recorder.Start();
        rig.Signals.Set(HistoryRig.Surplus, 2000);
        rig.Station.PlugIn();
        rig.Station.Charging(true);
        rig.Advance(TimeSpan.FromHours(1));
        rig.Station.Meter(1000 + 5000, 5000);
        rig.Station.Unplug();

        var s = Assert.Single(await rig.SessionsAsync());
        Assert.Equal(2, s.SolarKWh!.Value, 6);
        Assert.Equal(3 * 0.40 + 2 * 0.08, s.Cost!.Value, 6);
        Assert.Equal("CHF", s.Currency);
    }

    [Fact]
    public async Task Without_surplus_or_price_solar_and_cost_stay_empty()
    {
        await using var rig = new HistoryRig(new HistoryOptions());
        rig.Recorder.Start();
        rig.Station.PlugIn();
        rig.Advance(TimeSpan.FromHours(1));
        rig.Station.Meter(3000, 2000);
        rig.Station.Unplug();

        var s = Assert.Single(await rig.SessionsAsync());
        Assert.Equal(2, s.EnergyKWh, 6);
        Assert.Null(s.SolarKWh);
        Assert.Null(s.SolarShare);
        Assert.Null(s.GridKWh);
        Assert.Null(s.Cost);
    }

    [Fact]
    public async Task A_meter_that_restarts_from_zero_adds_no_negative_energy()
    {
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        rig.Station.PlugIn();
        rig.Advance(Minute);
        rig.Station.Meter(2000, 1000);
        rig.Advance(Minute);
        rig.Station.Meter(0, 1000); // box replaced its meter count (reboot)
        rig.Advance(Minute);
        rig.Station.Meter(500, 1000);
        rig.Station.Unplug();

        Assert.Equal(1.5, Assert.Single(await rig.SessionsAsync()).EnergyKWh, 6);
    }

    [Fact]
    public async Task Available_without_an_Ended_closes_the_session_as_unplugged()
    {
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        rig.Station.PlugIn();
        rig.Advance(TimeSpan.FromMinutes(5));
        rig.Station.Raise(WallboxEventKind.StatusChanged, s => s with { Status = ConnectorStatus.Available, Transaction = null });

        var s = Assert.Single(await rig.SessionsAsync());
        Assert.Equal("unplugged", s.EndReason);
        Assert.Equal(rig.Clock.GetUtcNow(), s.EndedAt);
    }

    [Fact]
    public async Task An_open_session_is_saved_within_the_save_interval_and_at_each_transition()
    {
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        rig.Station.PlugIn();
        rig.Station.Charging(true);
        for (var i = 1; i <= 30; i++)
        {
            rig.Advance(TimeSpan.FromSeconds(10));
            rig.Station.Meter(1000 + i * 30, 10800);
            await rig.Recorder.IdleAsync();
            var saved = Assert.Single(SessionStore.Query(rig.DatabasePath, new SessionQuery()));
            Assert.Null(saved.EndedAt);
            Assert.True(rig.Clock.GetUtcNow() - saved.UpdatedAt < SessionRecorder.DefaultSaveInterval, $"saved copy at {saved.UpdatedAt} is older than the save interval at {rig.Clock.GetUtcNow()}");
        }
        rig.Controller.Set(0, "alice:pause");
        await rig.Recorder.IdleAsync();
        Assert.Equal(rig.Clock.GetUtcNow(), Assert.Single(SessionStore.Query(rig.DatabasePath, new SessionQuery())).UpdatedAt);
    }
}

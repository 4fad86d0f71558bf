using BmwWallbox.History.Tests.Support;

namespace BmwWallbox.History.Tests;

/// <summary>The open session as scripts read it (IOpenSessions): plug-in time and kWh from the meter register, gone at unplug.</summary>
public sealed class OpenSessionTests
{
    [Fact]
    public async Task The_open_session_counts_the_meter_from_plug_in_and_ends_at_unplug()
    {
        await using var rig = new HistoryRig();
        rig.Recorder.Start();
        Assert.Null(rig.Recorder.OpenSessionOf(rig.Station.State.StationId));
        var pluggedIn = rig.Clock.GetUtcNow();

        rig.Station.PlugIn();
        rig.Station.Charging(true);
        rig.Advance(TimeSpan.FromMinutes(30));
        rig.Station.Meter(1000 + 5500, 11000);
        await rig.Recorder.IdleAsync();

        var open = rig.Recorder.OpenSessionOf(rig.Station.State.StationId);
        Assert.NotNull(open);
        Assert.Equal(pluggedIn, open.PluggedInAt);
        Assert.Equal(5.5, open.EnergyKWh, 6); // register 1000 Wh at plug-in → 6500 Wh
        Assert.Equal(open.EnergyKWh, Assert.Single(await rig.SessionsAsync()).EnergyKWh, 6);

        rig.Station.Unplug();
        await rig.Recorder.IdleAsync();
        Assert.Null(rig.Recorder.OpenSessionOf(rig.Station.State.StationId));
    }
}

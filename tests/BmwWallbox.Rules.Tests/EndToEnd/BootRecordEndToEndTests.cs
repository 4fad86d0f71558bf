using BmwWallbox.Doctor;
using BmwWallbox.TestKit.Mqtt;

namespace BmwWallbox.Rules.Tests.EndToEnd;

/// <summary>
/// A box sends BootNotification when it boots, not when it reconnects (the BMW box also refuses to be asked for one):
/// after a restart of bmw-rules its vendor, model and firmware come from data_dir/boots.json.
/// </summary>
public class BootRecordEndToEndTests
{
    [Fact]
    public async Task After_a_restart_the_box_is_known_by_model_and_firmware_before_it_boots_again()
    {
        await using var h = await DaemonHarness.StartAsync();
        await h.ConnectBoxAsync();
        var booted = h.Daemon.Server.States.Get(DaemonHarness.StationId)!.Boot!;

        await h.RestartAsync(); // the box is gone and has not connected to the new daemon

        var state = h.Daemon.Server.States.Get(DaemonHarness.StationId)!;
        Assert.False(state.Connected);
        Assert.Equal(booted, state.Boot);

        await h.Daemon.WriteStatusAsync();
        var status = Assert.Single(DaemonStatus.Read(DaemonStatus.PathIn(h.Daemon.DataDir)).Stations);
        Assert.Equal((booted.Vendor, booted.Model, booted.FirmwareVersion), (status.Boot!.Vendor, status.Boot.Model, status.Boot.Firmware));

        await using var hub = await TestMqttClient.ConnectAsync(h.MqttPort, "homeassistant/device/#");
        var config = await hub.WaitForAsync(m => m.Topic.EndsWith("/config", StringComparison.Ordinal));
        var device = HomeAssistantView.Device(config.Payload).GetProperty("device");
        Assert.Equal(booted.Model, device.GetProperty("model").GetString());
        Assert.Equal(booted.FirmwareVersion, device.GetProperty("sw_version").GetString());
    }
}

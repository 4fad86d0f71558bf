using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.SimulatedBox;
using BmwWallbox.TestKit.Mqtt;

namespace BmwWallbox.Rules.Tests.EndToEnd;

/// <summary>Issue 13 (history): the daemon records a session of the simulated box and publishes it on MQTT with its HA sensors.</summary>
public sealed class HistoryEndToEndTests
{
    [Fact]
    public async Task A_session_is_recorded_with_the_box_meter_and_published_as_the_last_session()
    {
        await using var h = await DaemonHarness.StartAsync("""
            history:
              surplus_signal: solar_power
              fixed_price: 0.30
            """);
        await h.ConnectBoxAsync();
        await using var hub = await TestMqttClient.ConnectAsync(h.MqttPort, "#");
        var solar = h.WaitForSignalAsync("solar_power", 4000);
        await hub.PublishAsync("home/solar/power", "4000");
        await solar;
        var history = h.Daemon.History!;
        var opened = new TaskCompletionSource<ChargingSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        history.SessionChanged += s => { if (s.EndedAt is null) opened.TrySetResult(s); };

        var meterStart = h.Box.EnergyRegisterWh;
        h.Box.PlugIn(new SimulatedCar());
        await h.Box.WaitForChargingStateAsync("Charging", CancellationToken.None).WaitAsync(TestTimeouts.Slow);
        Assert.Equal(meterStart, (await opened.Task.WaitAsync(TestTimeouts.Slow)).MeterStartWh);
        for (var i = 0; i < 6; i++) h.Time.Advance(TimeSpan.FromMinutes(5));
        h.Box.Unplug();
        var meterStop = h.Box.EnergyRegisterWh;

        var last = JsonDocument.Parse(await hub.WaitForAsync("bmw-wallbox/garage/session/last")).RootElement;
        var expectedKWh = (meterStop - meterStart) / 1000;
        Assert.True(expectedKWh > 1, $"the car charged {expectedKWh} kWh");
        Assert.Equal(Math.Round(expectedKWh, 3), last.GetProperty("energy_kwh").GetDouble());
        Assert.Equal("EVDisconnected", last.GetProperty("end_reason").GetString());
        Assert.InRange(last.GetProperty("solar_share").GetDouble(), 0.01, 1);
        Assert.True(last.GetProperty("cost").GetDouble() > 0);
        Assert.Equal("EUR", last.GetProperty("currency").GetString());
        string energySensor = await hub.WaitForAsync(m => m.Topic.StartsWith("homeassistant/sensor/", StringComparison.Ordinal) && m.Topic.EndsWith("/session_energy/config", StringComparison.Ordinal));
        Assert.Contains("bmw-wallbox/garage/session/last", energySensor);
        await hub.WaitForAsync(m => m.Topic.EndsWith("/session_solar_share/config", StringComparison.Ordinal));
        var costSensor = HomeAssistantView.Entity((await hub.WaitForAsync(m => m.Topic.EndsWith("/session_cost/config", StringComparison.Ordinal))).Payload);
        Assert.Equal("EUR", costSensor.GetProperty("unit_of_measurement").GetString());

        var session = Assert.Single(await history.QueryAsync(new SessionQuery("garage")));
        Assert.Equal(expectedKWh, session.EnergyKWh, 6);
        Assert.Equal(h.Box.TransactionId ?? session.TransactionId, session.TransactionId);
        Assert.True(File.Exists(Path.Combine(h.Dir, "data", "history.db")));
    }
}

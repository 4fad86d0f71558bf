using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox.Tests;

public sealed class CarChargingTests
{
    [Fact]
    public async Task Plug_in_starts_a_transaction_that_goes_from_EVConnected_to_Charging()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();

        var events = h.Csms.Of("TransactionEvent");
        Assert.Equal(2, events.Count);
        Assert.Equal("Started", (string?)events[0]["eventType"]);
        Assert.Equal("CablePluggedIn", (string?)events[0]["triggerReason"]);
        Assert.Equal("EVConnected", (string?)events[0]["transactionInfo"]!["chargingState"]);
        Assert.Equal(1, (int?)events[0]["evse"]!["id"]);
        Assert.Equal("Updated", (string?)events[1]["eventType"]);
        Assert.Equal("Charging", (string?)events[1]["transactionInfo"]!["chargingState"]);
        Assert.Equal([0, 1], events.Select(e => (int)e["seqNo"]!));
        Assert.All(events, e => Assert.Equal(h.Box.TransactionId, (string?)e["transactionInfo"]!["transactionId"]));
        Assert.Equal("Occupied", (string?)h.Csms.Of("StatusNotification")[^1]["connectorStatus"]);
    }

    [Fact]
    public async Task With_authorization_on_a_plugged_in_car_waits_at_EVConnected_until_a_remote_start_authorizes_its_session()
    {
        await using var h = await Harness.StartAsync(configure: o => o with { AuthorizationEnabled = true });
        await h.PlugInAsync();

        Assert.Equal("true", h.Box.GetVariable("AuthCtrlr", "Enabled"));
        var transactionId = h.Box.TransactionId;
        Assert.NotNull(transactionId);
        Assert.Equal("EVConnected", h.Box.ChargingState);
        Assert.Equal(0, h.Box.ChargingCurrentAmps);
        Assert.Null(Assert.Single(h.Csms.Of("TransactionEvent"))["idToken"]);

        var start = await h.CallAsync("RequestStartTransaction", new JsonObject
        {
            ["evseId"] = 1,
            ["remoteStartId"] = 7,
            ["idToken"] = new JsonObject { ["idToken"] = "RULES", ["type"] = "Central" },
        });

        Assert.Equal("Accepted", Harness.Status(start));
        Assert.Equal(transactionId, (string?)start["transactionId"]); // the same session, now authorized
        var authorized = h.Csms.Of("TransactionEvent").Single(e => (string?)e["triggerReason"] == "RemoteStart");
        Assert.Equal(("Updated", "RULES", 7), ((string?)authorized["eventType"], (string?)authorized["idToken"]!["idToken"], (int?)authorized["transactionInfo"]!["remoteStartId"]));
        Assert.Equal("Charging", h.Box.ChargingState);
        Assert.Equal(16, h.Box.ChargingCurrentAmps);
        Assert.Equal(transactionId, h.Box.TransactionId);
    }

    [Theory]
    [InlineData(3, 3, 32, 16, 3)]   // three-phase box caps at 16 A
    [InlineData(3, 1, 32, 16, 1)]   // single-phase car on a three-phase box
    [InlineData(1, 3, 32, 32, 1)]   // single-phase install, 32 A
    [InlineData(3, 3, 10, 10, 3)]   // car limits itself
    public async Task Car_draws_the_minimum_of_limit_car_and_hardware(int boxPhases, int carPhases, double carMax, double amps, int phases)
    {
        await using var h = await Harness.StartAsync(configure: o => o with { Phases = boxPhases });
        await h.PlugInAsync(Harness.Car(maxAmps: carMax, phases: carPhases));

        Assert.Equal(amps, h.Box.ChargingCurrentAmps);
        Assert.Equal(phases, h.Box.ChargingPhases);
        Assert.Equal(amps * 230 * phases, h.Box.PowerW, 6);
    }

    [Fact]
    public async Task Energy_integrates_over_virtual_time_and_follows_limit_changes()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();
        await h.AdvanceAsync(TimeSpan.FromMinutes(30));           // 16 A × 230 V × 3 for 0.5 h
        Assert.Equal(5520, h.Box.EnergyRegisterWh, 6);

        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 8)));
        await h.AdvanceAsync(TimeSpan.FromHours(1));               // + 8 A × 230 V × 3 for 1 h
        Assert.Equal(5520 + 5520, h.Box.EnergyRegisterWh, 6);
        Assert.Equal(20 + 11040 / 800.0, h.Box.CarSocPercent!.Value, 6);
    }

    [Fact]
    public async Task A_full_car_suspends_itself_at_the_exact_virtual_instant_even_inside_one_big_advance()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync(Harness.Car(batteryKWh: 11.04, soc: 90));   // 1104 Wh left at 11040 W = 6 min
        var since = h.Box.EventSequence;

        await h.AdvanceAsync(TimeSpan.FromHours(2));

        Assert.Equal(1104, h.Box.EnergyRegisterWh, 6);
        Assert.Equal(100, h.Box.CarSocPercent!.Value, 6);
        Assert.Equal("SuspendedEV", h.Box.ChargingState);
        Assert.Equal(0, h.Box.PowerW);
        var change = await h.Box.WaitForAsync(e => e.Kind == SimulatorEventKind.ChargingStateChanged, since);
        Assert.Equal(Harness.Start.AddMinutes(6), change.Time);
        var updated = h.Csms.Of("TransactionEvent")[^1];
        Assert.Equal("SuspendedEV", (string?)updated["transactionInfo"]!["chargingState"]);
        Assert.Equal(1104, Harness.Sampled(updated, "Energy.Active.Import.Register"));
    }

    [Theory]
    [InlineData(5.9, 6, "SuspendedEVSE")]
    [InlineData(6, 7, "SuspendedEV")]      // some BMWs need 7 A to start
    [InlineData(7, 7, "Charging")]
    public async Task Below_minimum_current_nothing_flows(double limit, double carMin, string state)
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync(Harness.Car() with { MinCurrentAmps = carMin });
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, limit)));

        Assert.Equal(state, h.Box.ChargingState);
        Assert.Equal(state == "Charging" ? limit : 0, h.Box.ChargingCurrentAmps);
        Assert.Equal(state, (string?)h.Csms.Of("TransactionEvent")[^1]["transactionInfo"]!["chargingState"]);
    }

    [Fact]
    public async Task Car_can_suspend_and_resume_on_its_own()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();
        h.Box.SuspendByCar();
        Assert.Equal("SuspendedEV", h.Box.ChargingState);
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(0, h.Box.EnergyRegisterWh);
        h.Box.ResumeByCar();
        Assert.Equal("Charging", h.Box.ChargingState);
        Assert.Equal(16, h.Box.ChargingCurrentAmps);
    }

    [Fact]
    public async Task Unplug_ends_the_transaction_because_StopTxOnEVSideDisconnect_is_fixed()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();
        var tx = h.Box.TransactionId;
        await h.AdvanceAsync(TimeSpan.FromMinutes(10));
        h.Box.Unplug();
        await h.Box.FlushAsync();

        var ended = h.Csms.Of("TransactionEvent")[^1];
        Assert.Equal("Ended", (string?)ended["eventType"]);
        Assert.Equal("EVDisconnected", (string?)ended["transactionInfo"]!["stoppedReason"]);
        Assert.Equal(tx, (string?)ended["transactionInfo"]!["transactionId"]);
        Assert.Equal(1840, Harness.Sampled(ended, "Energy.Active.Import.Register"));
        Assert.Null(h.Box.TransactionId);
        Assert.Equal("Available", (string?)h.Csms.Of("StatusNotification")[^1]["connectorStatus"]);
        Assert.Throws<InvalidOperationException>(() => h.Box.Unplug());
    }

    [Fact]
    public async Task Transaction_events_carry_only_energy_but_triggered_meter_values_carry_everything()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();
        Assert.All(h.Csms.Of("TransactionEvent"), e =>
        {
            Assert.NotNull(Harness.Sampled(e, "Energy.Active.Import.Register"));
            Assert.Null(Harness.Sampled(e, "Power.Active.Import"));
        });

        var result = await h.CallAsync("TriggerMessage", new JsonObject { ["requestedMessage"] = "MeterValues" });
        Assert.Equal("Accepted", Harness.Status(result));
        var mv = Assert.Single(h.Csms.Of("MeterValues"));
        Assert.Equal(11040, Harness.Sampled(mv, "Power.Active.Import"));
        Assert.Equal(16, Harness.Sampled(mv, "Current.Import"));
        Assert.Equal(16, Harness.Sampled(mv, "Current.Import", "L3"));
        Assert.Equal(230, Harness.Sampled(mv, "Voltage", "L1-N"));
    }
}

using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox.Tests;

public sealed class AppliedLimitTests
{
    [Fact]
    public async Task Without_profiles_the_box_runs_at_hardware_maximum()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();
        Assert.Null(h.Box.AppliedLimitAmps);
        Assert.Equal(16, h.Box.ChargingCurrentAmps);
    }

    [Fact]
    public async Task TxProfile_overrides_TxDefaultProfile_and_highest_stack_level_wins()
    {
        await using var h = await Harness.StartAsync();
        Assert.Equal("Accepted", await h.SetProfileAsync(Harness.TxDefault(1, 10)));
        Assert.Equal(10, h.Box.AppliedLimitAmps);
        await h.PlugInAsync();
        Assert.Equal(10, h.Box.ChargingCurrentAmps);

        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(2, 13)));
        Assert.Equal(13, h.Box.AppliedLimitAmps);
        Assert.Equal("Accepted", await h.SetProfileAsync(Harness.Profile(3, "TxProfile", 7, h.Box.TransactionId, stackLevel: 1)));
        Assert.Equal(7, h.Box.AppliedLimitAmps);
        Assert.Equal(7, h.Box.ChargingCurrentAmps);

        await h.CallAsync("ClearChargingProfile", new JsonObject { ["chargingProfileId"] = 3 });
        Assert.Equal(13, h.Box.AppliedLimitAmps);
    }

    [Fact]
    public async Task ChargingStationMaxProfile_caps_everything_and_limits_above_hardware_are_clamped()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();
        Assert.Equal("Accepted", await h.SetProfileAsync(h.TxProfile(1, 40)));
        Assert.Equal(16, h.Box.AppliedLimitAmps);
        Assert.Equal("Accepted", await h.SetProfileAsync(Harness.Profile(9, "ChargingStationMaxProfile", 11, evseId: 0)));
        Assert.Equal(11, h.Box.AppliedLimitAmps);
        Assert.Equal(11, h.Box.ChargingCurrentAmps);
    }

    [Theory]
    [InlineData(3, null, 6900, 10)]
    [InlineData(1, null, 2300, 10)]
    [InlineData(3, 1, 2300, 10)]
    public async Task Watt_profiles_are_converted_with_voltage_and_phases(int boxPhases, int? numberPhases, double watts, double amps)
    {
        await using var h = await Harness.StartAsync(configure: o => o with { Phases = boxPhases });
        var period = new JsonObject { ["startPeriod"] = 0, ["limit"] = watts };
        if (numberPhases is not null) period["numberPhases"] = numberPhases;
        Assert.Equal("Accepted", await h.SetProfileAsync(Harness.Profile(1, "TxDefaultProfile", 0, unit: "W", periods: [period])));
        Assert.Equal(amps, h.Box.AppliedLimitAmps!.Value, 9);
    }

    [Fact]
    public async Task A_multi_period_schedule_changes_the_limit_at_its_boundaries_in_virtual_time()
    {
        await using var h = await Harness.StartAsync();
        JsonArray periods =
        [
            new JsonObject { ["startPeriod"] = 0, ["limit"] = 16 },
            new JsonObject { ["startPeriod"] = 600, ["limit"] = 8 },
        ];
        var request = Harness.Profile(1, "TxDefaultProfile", 0, kind: "Absolute", periods: periods, startSchedule: Harness.Iso(Harness.Start));
        request["chargingProfile"]!["chargingSchedule"]![0]!["duration"] = 1800;
        Assert.Equal("Accepted", await h.SetProfileAsync(request));
        await h.PlugInAsync();

        await h.AdvanceAsync(TimeSpan.FromMinutes(9));
        Assert.Equal(16, h.Box.AppliedLimitAmps);
        await h.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(8, h.Box.AppliedLimitAmps);
        await h.AdvanceAsync(TimeSpan.FromMinutes(30));             // schedule over → hardware max
        Assert.Null(h.Box.AppliedLimitAmps);
        // 10 min at 16 A, 20 min at 8 A, 11 min at 16 A (three-phase, 230 V)
        Assert.Equal((16 * 10 + 8 * 20 + 16 * 11) * 230 * 3 / 60.0, h.Box.EnergyRegisterWh, 6);
    }

    [Fact]
    public async Task TxProfile_needs_the_live_transaction()
    {
        await using var h = await Harness.StartAsync();
        Assert.Equal("Rejected", await h.SetProfileAsync(Harness.Profile(1, "TxProfile", 10, "nope")));
        await h.PlugInAsync();
        var result = await h.CallAsync("SetChargingProfile", Harness.Profile(1, "TxProfile", 10, "other-tx"));
        Assert.Equal("Rejected", Harness.Status(result));
        Assert.Equal("TxNotFound", (string?)result["statusInfo"]!["reasonCode"]);
        Assert.Null(h.Box.AppliedLimitAmps);
    }

    [Theory]
    [InlineData(6, "stackLevel")]
    [InlineData(0, "evse")]
    public async Task Profiles_outside_the_device_model_are_rejected_and_change_nothing(int stackLevel, string what)
    {
        await using var h = await Harness.StartAsync();
        var request = what == "evse" ? Harness.Profile(1, "TxDefaultProfile", 10, evseId: 2) : Harness.Profile(1, "TxDefaultProfile", 10, stackLevel: stackLevel);
        var result = await h.CallAsync("SetChargingProfile", request);
        Assert.Equal("Rejected", Harness.Status(result));
        Assert.Equal("InvalidProfile", (string?)result["statusInfo"]!["reasonCode"]);
        Assert.Empty(h.Box.InstalledProfiles);
    }

    [Fact]
    public async Task Malformed_profiles_get_a_specific_CALLERROR_and_change_nothing()
    {
        await using var h = await Harness.StartAsync();
        var missingId = Harness.TxDefault(1, 10);
        missingId["chargingProfile"]!.AsObject().Remove("id");
        var error = await Assert.ThrowsAsync<OcppCallErrorException>(() => h.Box.HandleCallAsync("SetChargingProfile", missingId));
        Assert.Equal("OccurrenceConstraintViolation", error.ErrorCode);
        Assert.Contains("chargingProfile.id", error.Description);

        var badLimit = Harness.TxDefault(1, 10);
        badLimit["chargingProfile"]!["chargingSchedule"]![0]!["chargingSchedulePeriod"]![0]!["limit"] = "ten";
        error = await Assert.ThrowsAsync<OcppCallErrorException>(() => h.Box.HandleCallAsync("SetChargingProfile", badLimit));
        Assert.Equal("TypeConstraintViolation", error.ErrorCode);
        Assert.Empty(h.Box.InstalledProfiles);
        Assert.Null(h.Box.AppliedLimitAmps);
    }

    [Fact]
    public async Task Same_purpose_and_stack_level_with_another_id_is_rejected_but_same_id_replaces()
    {
        await using var h = await Harness.StartAsync();
        Assert.Equal("Accepted", await h.SetProfileAsync(Harness.TxDefault(1, 10)));
        Assert.Equal("Rejected", await h.SetProfileAsync(Harness.TxDefault(2, 8)));
        Assert.Equal("Accepted", await h.SetProfileAsync(Harness.TxDefault(1, 8)));
        Assert.Equal(8, Assert.Single(h.Box.InstalledProfiles).Periods[0].Limit);
        Assert.Equal(8, h.Box.AppliedLimitAmps);
    }

    [Fact]
    public async Task GetChargingProfiles_reports_installed_profiles_after_the_reply()
    {
        await using var h = await Harness.StartAsync();
        await h.SetProfileAsync(Harness.TxDefault(5, 10));
        var result = await h.CallAsync("GetChargingProfiles", new JsonObject
        {
            ["requestId"] = 42,
            ["chargingProfile"] = new JsonObject { ["chargingProfilePurpose"] = "TxDefaultProfile" },
        });
        Assert.Equal("Accepted", Harness.Status(result));
        var report = Assert.Single(h.Csms.Of("ReportChargingProfiles"));
        Assert.Equal(42, (int?)report["requestId"]);
        Assert.Equal(5, (int?)report["chargingProfile"]![0]!["id"]);

        result = await h.CallAsync("GetChargingProfiles", new JsonObject
        {
            ["requestId"] = 43,
            ["chargingProfile"] = new JsonObject { ["chargingProfilePurpose"] = "TxProfile" },
        });
        Assert.Equal("NoProfiles", Harness.Status(result));
    }
}

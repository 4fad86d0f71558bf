using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox.Tests;

public sealed class DeviceModelTests
{
    private static JsonObject Var(string component, string variable, string? value = null)
    {
        var entry = new JsonObject
        {
            ["component"] = new JsonObject { ["name"] = component },
            ["variable"] = new JsonObject { ["name"] = variable },
        };
        if (value is not null) entry["attributeValue"] = value;
        return entry;
    }

    private static async Task<JsonArray> GetAsync(Harness h, params JsonObject[] entries) =>
        (await h.CallAsync("GetVariables", new JsonObject { ["getVariableData"] = new JsonArray(entries) }))["getVariableResult"]!.AsArray();

    private static async Task<JsonArray> SetAsync(Harness h, params JsonObject[] entries) =>
        (await h.CallAsync("SetVariables", new JsonObject { ["setVariableData"] = new JsonArray(entries) }))["setVariableResult"]!.AsArray();

    [Fact]
    public async Task GetVariables_reports_the_BMW_device_model()
    {
        await using var h = await Harness.StartAsync();
        var results = await GetAsync(h,
            Var("TxCtrlr", "StopTxOnEVSideDisconnect"), Var("SampledDataCtrlr", "TxUpdatedInterval"),
            Var("SmartChargingCtrlr", "RateUnit"), Var("TxCtrlr", "TxStartPoint"), Var("Nope", "X"), Var("TxCtrlr", "Nope"));
        Assert.Equal(["true", "0", "A,W", "EVConnected,Authorized,EnergyTransfer"], results.Take(4).Select(r => (string)r!["attributeValue"]!));
        Assert.Equal("UnknownComponent", (string?)results[4]!["attributeStatus"]);
        Assert.Equal("UnknownVariable", (string?)results[5]!["attributeStatus"]);
        Assert.Equal("TxCtrlr", (string?)results[0]!["component"]!["name"]);
    }

    [Fact]
    public async Task StopTxOnEVSideDisconnect_is_read_only_but_HeartbeatInterval_can_be_set()
    {
        await using var h = await Harness.StartAsync();
        var results = await SetAsync(h,
            Var("TxCtrlr", "StopTxOnEVSideDisconnect", "false"), Var("OCPPCommCtrlr", "HeartbeatInterval", "60"),
            Var("OCPPCommCtrlr", "HeartbeatInterval", "soon"));
        Assert.Equal(["Rejected", "Accepted", "Rejected"], results.Select(r => (string)r!["attributeStatus"]!));
        Assert.Equal("true", h.Box.GetVariable("TxCtrlr", "StopTxOnEVSideDisconnect"));
        Assert.Equal("60", h.Box.GetVariable("OCPPCommCtrlr", "HeartbeatInterval"));
    }

    [Fact]
    public async Task TxUpdatedInterval_and_measurands_control_periodic_transaction_events()
    {
        await using var h = await Harness.StartAsync();
        await SetAsync(h, Var("SampledDataCtrlr", "TxUpdatedInterval", "60"),
            Var("SampledDataCtrlr", "TxUpdatedMeasurands", "Energy.Active.Import.Register,Power.Active.Import"));
        await h.PlugInAsync();
        await h.AdvanceAsync(TimeSpan.FromMinutes(3));

        var periodic = h.Csms.Of("TransactionEvent").Where(e => (string?)e["triggerReason"] == "MeterValuePeriodic").ToList();
        Assert.Equal(3, periodic.Count);
        Assert.All(periodic, e => Assert.Equal(11040, Harness.Sampled(e, "Power.Active.Import")));
    }

    [Fact]
    public async Task Heartbeats_follow_the_interval_from_the_boot_response()
    {
        await using var h = await Harness.StartAsync(configure: o => o with { SendHeartbeats = true });
        for (var i = 0; i < 3; i++) await h.AdvanceAsync(TimeSpan.FromSeconds(12));
        Assert.Equal(3, h.Csms.Of("Heartbeat").Count);
        // Queued heartbeats are not piled up while nothing is delivered.
        h.Time.Advance(TimeSpan.FromMinutes(10));
        await h.Box.FlushAsync();
        Assert.Equal(4, h.Csms.Of("Heartbeat").Count);
    }

    [Fact]
    public async Task GetBaseReport_sends_the_inventory_in_pages_after_the_reply()
    {
        await using var h = await Harness.StartAsync();
        var result = await h.CallAsync("GetBaseReport", new JsonObject { ["requestId"] = 3, ["reportBase"] = "FullInventory" });
        Assert.Equal("Accepted", Harness.Status(result));
        var pages = h.Csms.Of("NotifyReport");
        Assert.True(pages.Count > 1);
        Assert.Equal(Enumerable.Range(0, pages.Count), pages.Select(p => (int)p["seqNo"]!));
        Assert.Equal(pages.Count - 1, pages.Count(p => (bool)p["tbc"]!));
        var entries = pages.SelectMany(p => p["reportData"]!.AsArray()).ToList();
        var stopTx = entries.Single(e => (string?)e!["variable"]!["name"] == "StopTxOnEVSideDisconnect")!;
        Assert.Equal("ReadOnly", (string?)stopTx["variableAttribute"]![0]!["mutability"]);
        Assert.Contains(entries, e => (string?)e!["variable"]!["name"] == "ACPhaseSwitchingSupported");
    }

    [Theory]
    [InlineData("BootNotification", "Rejected")]
    [InlineData("StatusNotification", "Rejected")]
    [InlineData("MeterValues", "Accepted")]
    [InlineData("LogStatusNotification", "NotImplemented")]
    public async Task TriggerMessage_answers_like_the_BMW(string requested, string status)
    {
        await using var h = await Harness.StartAsync();
        var result = await h.CallAsync("TriggerMessage", new JsonObject { ["requestedMessage"] = requested });
        Assert.Equal(status, Harness.Status(result));
        Assert.Equal(status == "Accepted" ? 1 : 0, h.Csms.Of(requested).Count(m => requested != "StatusNotification" && requested != "BootNotification"));
    }

    [Fact]
    public async Task TriggerMessage_TransactionEvent_without_a_transaction_is_rejected()
    {
        await using var h = await Harness.StartAsync();
        var result = await h.CallAsync("TriggerMessage", new JsonObject { ["requestedMessage"] = "TransactionEvent" });
        Assert.Equal("Rejected", Harness.Status(result));
    }

    [Theory]
    [InlineData("Frobnicate", "{}", "NotImplemented")]
    [InlineData("UpdateFirmware", "{}", "NotSupported")]
    [InlineData("Reset", "[1]", "FormatViolation")]
    [InlineData("Reset", "{}", "OccurrenceConstraintViolation")]
    [InlineData("Reset", "{\"type\":\"Later\"}", "PropertyConstraintViolation")]
    [InlineData("RequestStopTransaction", "{\"transactionId\":5}", "TypeConstraintViolation")]
    public async Task Bad_calls_get_specific_errors(string action, string payload, string code)
    {
        await using var h = await Harness.StartAsync();
        var error = await Assert.ThrowsAsync<OcppCallErrorException>(() => h.Box.HandleCallAsync(action, JsonNode.Parse(payload)));
        Assert.Equal(code, error.ErrorCode);
        Assert.False(h.Box.IsRebooting);
        var logged = h.Box.ReceivedCalls[^1];
        Assert.Equal(code, logged.ErrorCode);
        Assert.Equal(action, logged.Action);
    }

    [Fact]
    public async Task ChangeAvailability_and_UnlockConnector()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();
        Assert.Equal("OngoingAuthorizedTransaction",
            Harness.Status(await h.CallAsync("UnlockConnector", new JsonObject { ["evseId"] = 1, ["connectorId"] = 1 })));
        Assert.Equal("UnknownConnector",
            Harness.Status(await h.CallAsync("UnlockConnector", new JsonObject { ["evseId"] = 2, ["connectorId"] = 1 })));

        await h.CallAsync("ChangeAvailability", new JsonObject { ["operationalStatus"] = "Inoperative" });
        Assert.Equal("Unavailable", h.Box.ConnectorStatus);
        Assert.Equal("SuspendedEVSE", h.Box.ChargingState);
        Assert.Equal("Unavailable", (string?)h.Csms.Of("StatusNotification")[^1]["connectorStatus"]);
        await h.CallAsync("ChangeAvailability", new JsonObject { ["operationalStatus"] = "Operative" });
        Assert.Equal("Charging", h.Box.ChargingState);
    }

    [Fact]
    public async Task GetTransactionStatus_knows_the_live_transaction_and_the_queue()
    {
        await using var h = await Harness.StartAsync();
        await h.PlugInAsync();
        var live = await h.CallAsync("GetTransactionStatus", new JsonObject { ["transactionId"] = h.Box.TransactionId });
        Assert.True((bool)live["ongoingIndicator"]!);
        Assert.False((bool)live["messagesInQueue"]!);
        h.Box.DropConnection();
        h.Box.SuspendByCar();
        Assert.Equal(1, h.Box.QueuedMessageCount);
    }
}

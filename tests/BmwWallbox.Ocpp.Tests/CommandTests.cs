using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Ocpp.Messages;
using BmwWallbox.Ocpp.Tests.Support;

namespace BmwWallbox.Ocpp.Tests;

public sealed class CommandTests
{
    private static readonly SetChargingProfileRequest TenAmps = new(1, new ChargingProfile(
        Id: 100, StackLevel: 0, ChargingProfilePurpose.TxDefaultProfile, ChargingProfileKind.Absolute,
        [new ChargingSchedule(1, ChargingRateUnit.A, [new ChargingSchedulePeriod(0, 10.0)])]));

    [Fact]
    public async Task SetChargingProfile_round_trip_returns_the_typed_answer()
    {
        await using var server = await OcppTestServer.StartAsync();
        await using var station = await server.ConnectStationAsync();

        var pending = server.Server.Commands.SetChargingProfileAsync(OcppTestServer.StationId, TenAmps);
        var call = JsonDocument.Parse((await station.ReceiveAsync())!).RootElement;
        Assert.Equal(2, call[0].GetInt32());
        Assert.Equal("SetChargingProfile", call[2].GetString());
        Assert.Equal("TxDefaultProfile", call[3].GetProperty("chargingProfile").GetProperty("chargingProfilePurpose").GetString());
        Assert.Equal(10.0, call[3].GetProperty("chargingProfile").GetProperty("chargingSchedule")[0].GetProperty("chargingSchedulePeriod")[0].GetProperty("limit").GetDouble());
        Assert.False(call[3].GetProperty("chargingProfile").TryGetProperty("transactionId", out _)); // optional: omitted, not null
        await station.SendAsync($"[3,\"{call[1].GetString()}\",{{\"status\":\"Accepted\"}}]");

        var result = await pending.WaitAsync(TestTimeouts.Guard);
        Assert.True(result.Ok, result.Error);
        Assert.Equal(ChargingProfileStatus.Accepted, result.Response!.Status);
    }

    [Fact]
    public async Task A_CALLERROR_answer_becomes_a_failed_result_naming_action_code_and_description()
    {
        await using var server = await OcppTestServer.StartAsync();
        await using var station = await server.ConnectStationAsync();

        var pending = server.Server.Commands.ResetAsync(OcppTestServer.StationId, new ResetRequest(ResetType.Immediate));
        var call = JsonDocument.Parse((await station.ReceiveAsync())!).RootElement;
        await station.SendAsync($"[4,\"{call[1].GetString()}\",\"VendorSpecificTrouble\",\"box is busy\",{{}}]"); // a code outside the list is tolerated

        var result = await pending.WaitAsync(TestTimeouts.Guard);
        Assert.Equal(CommandStatus.Failed, result.Status);
        Assert.Equal("Reset failed: VendorSpecificTrouble box is busy", result.Error);
    }

    [Fact]
    public async Task An_answer_that_breaks_the_schema_is_a_failed_result()
    {
        await using var server = await OcppTestServer.StartAsync();
        await using var station = await server.ConnectStationAsync();

        var pending = server.Server.Commands.ClearChargingProfileAsync(OcppTestServer.StationId, new ClearChargingProfileRequest(ChargingProfileId: 100));
        var call = JsonDocument.Parse((await station.ReceiveAsync())!).RootElement;
        await station.SendAsync($"[3,\"{call[1].GetString()}\",{{\"status\":\"Maybe\"}}]");

        var result = await pending.WaitAsync(TestTimeouts.Guard);
        Assert.Equal(CommandStatus.Failed, result.Status);
        Assert.StartsWith("ClearChargingProfile failed: PropertyConstraintViolation invalid response: $.status", result.Error);
    }

    [Fact]
    public async Task Command_times_out_and_the_next_command_waits_for_the_late_answer_which_is_dropped()
    {
        var time = new ManualClock(DateTimeOffset.Parse("2025-01-01T12:00:00Z"));
        await using var server = await OcppTestServer.StartAsync(o => o with { CommandTimeout = TimeSpan.FromSeconds(15) }, time);
        await using var station = await server.ConnectStationAsync();

        var first = server.Server.Commands.TriggerMessageAsync(OcppTestServer.StationId, new TriggerMessageRequest(MessageTrigger.MeterValues));
        var second = server.Server.Commands.GetTransactionStatusAsync(OcppTestServer.StationId, new GetTransactionStatusRequest());
        var firstCall = JsonDocument.Parse((await station.ReceiveAsync())!).RootElement;
        Assert.Equal("TriggerMessage", firstCall[2].GetString());

        time.Advance(TimeSpan.FromSeconds(15));
        var timedOut = await first.WaitAsync(TestTimeouts.Guard);
        Assert.Equal(CommandStatus.TimedOut, timedOut.Status);
        Assert.Equal("Command timed out", timedOut.Error);

        // Quirk 1: the queued command goes out only once the box has answered, late; that answer is dropped.
        await station.SendAsync($"[3,\"{firstCall[1].GetString()}\",{{\"status\":\"Accepted\"}}]");
        var secondCall = JsonDocument.Parse((await station.ReceiveAsync())!).RootElement;
        Assert.Equal("GetTransactionStatus", secondCall[2].GetString());
        Assert.NotEqual(firstCall[1].GetString(), secondCall[1].GetString());
        await station.SendAsync($"[3,\"{secondCall[1].GetString()}\",{{\"messagesInQueue\":false}}]");

        var answered = await second.WaitAsync(TestTimeouts.Guard);
        Assert.True(answered.Ok, answered.Error);
        Assert.False(answered.Response!.MessagesInQueue);
        Assert.Contains(server.Logs.Entries, e => e.Message.Contains($"answered TriggerMessage {firstCall[1].GetString()} late"));
    }

    [Fact]
    public async Task Commands_to_a_disconnected_station_say_so_and_unknown_stations_are_a_programming_error()
    {
        await using var server = await OcppTestServer.StartAsync();

        var result = await server.Server.Commands.SetChargingProfileAsync(OcppTestServer.StationId, TenAmps);

        Assert.Equal(CommandStatus.NotConnected, result.Status);
        Assert.Equal("Wallbox not connected", result.Error);
        await Assert.ThrowsAsync<ArgumentException>(() => server.Server.Commands.SetChargingProfileAsync("nobody", TenAmps));
    }

    [Fact]
    public async Task Connection_lost_during_a_command_reports_not_connected()
    {
        await using var server = await OcppTestServer.StartAsync();
        var station = await server.ConnectStationAsync();

        var pending = server.Server.Commands.UnlockConnectorAsync(OcppTestServer.StationId, new UnlockConnectorRequest(1, 1));
        await station.ReceiveAsync();
        await station.DisposeAsync();

        var result = await pending.WaitAsync(TestTimeouts.Guard);
        Assert.Equal(CommandStatus.NotConnected, result.Status);
    }

    [Fact]
    public async Task A_request_that_breaks_the_schema_is_never_sent()
    {
        await using var server = await OcppTestServer.StartAsync();
        await using var station = await server.ConnectStationAsync();

        var tooLong = new string('x', 37);
        server.Logs.AllowErrors(e => e.Message.Contains("RequestStopTransaction not sent, the request is invalid")); // provoked here
        var result = await server.Server.Commands.RequestStopTransactionAsync(OcppTestServer.StationId, new RequestStopTransactionRequest(tooLong));

        Assert.Equal(CommandStatus.Failed, result.Status);
        Assert.StartsWith("RequestStopTransaction failed: PropertyConstraintViolation invalid request: $.transactionId", result.Error);
        // The line is still free: the next command is the first frame the station sees.
        var next = server.Server.Commands.GetTransactionStatusAsync(OcppTestServer.StationId, new GetTransactionStatusRequest());
        var call = JsonDocument.Parse((await station.ReceiveAsync())!).RootElement;
        Assert.Equal("GetTransactionStatus", call[2].GetString());
        await station.SendAsync($"[3,\"{call[1].GetString()}\",{{\"messagesInQueue\":true}}]");
        Assert.True((await next.WaitAsync(TestTimeouts.Guard)).Ok);
    }

    [Fact]
    public async Task GetVariables_answers_land_in_the_wallbox_state()
    {
        await using var server = await OcppTestServer.StartAsync();
        using var watcher = new StateWatcher(server.Server.States);
        await using var station = await server.ConnectStationAsync();

        var pending = server.Server.Commands.GetVariablesAsync(OcppTestServer.StationId, new GetVariablesRequest(
            [new GetVariableData(new Component("OCPPCommCtrlr"), new Variable("HeartbeatInterval"))]));
        var call = JsonDocument.Parse((await station.ReceiveAsync())!).RootElement;
        await station.SendAsync($"[3,\"{call[1].GetString()}\",{{\"getVariableResult\":[{{\"attributeStatus\":\"Accepted\",\"attributeValue\":\"10\"," +
            "\"component\":{\"name\":\"OCPPCommCtrlr\"},\"variable\":{\"name\":\"HeartbeatInterval\"}}]}]");

        var result = await pending.WaitAsync(TestTimeouts.Guard);
        Assert.True(result.Ok, result.Error);
        var reported = await watcher.NextAsync(WallboxEventKind.VariablesReported);
        Assert.Equal("10", reported.State.Variables["OCPPCommCtrlr.HeartbeatInterval"]);
    }
}

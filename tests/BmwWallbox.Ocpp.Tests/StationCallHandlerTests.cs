using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Ocpp.Rpc;
using BmwWallbox.Ocpp.Server;
using BmwWallbox.Ocpp.State;
using BmwWallbox.Ocpp.Tests.Support;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.Ocpp.Tests;

public sealed class StationCallHandlerTests
{
    private const string Station = "DE*BMW*E1";
    private readonly ManualClock _time = new(DateTimeOffset.Parse("2025-03-01T10:00:00Z"));
    private readonly TestLogs _logs = new();

    private StationCallHandler Create(OcppOptions? options = null, WallboxStateStore? store = null)
    {
        options ??= new OcppOptions { Stations = [new StationOptions { Id = Station, Password = "0123456789abcdef", Name = "garage" }] };
        store ??= new WallboxStateStore(options.Stations, _time, _logs.CreateLogger("state"));
        return new StationCallHandler(store, options, _time, _logs.CreateLogger("handler"));
    }

    private static async Task<RpcReply> Handle(StationCallHandler handler, string action, string json)
        => await handler.HandleAsync(Station, action, JsonDocument.Parse(json).RootElement);

    /// <summary>One valid request of every station → CSMS message of OCPP 2.0.1 (Part 2, "Charging Station to CSMS").</summary>
    public static TheoryData<string, string> EveryStationMessage => new()
    {
        { "BootNotification", """{"chargingStation":{"model":"EIAW-E22KTSE6B04","vendorName":"BMW","firmwareVersion":"01.20.06.71"},"reason":"PowerUp"}""" },
        { "Heartbeat", "{}" },
        { "StatusNotification", """{"timestamp":"2025-03-01T10:00:00Z","connectorStatus":"Occupied","evseId":1,"connectorId":1}""" },
        { "TransactionEvent", """{"eventType":"Started","timestamp":"2025-03-01T10:00:00Z","triggerReason":"CablePluggedIn","seqNo":0,"transactionInfo":{"transactionId":"tx-1","chargingState":"EVConnected"},"evse":{"id":1,"connectorId":1},"idToken":{"idToken":"CAR1","type":"ISO14443"}}""" },
        { "MeterValues", """{"evseId":1,"meterValue":[{"timestamp":"2025-03-01T10:00:00Z","sampledValue":[{"value":1234.5}]}]}""" },
        { "Authorize", """{"idToken":{"idToken":"CAR1","type":"ISO14443"}}""" },
        { "NotifyReport", """{"requestId":1,"generatedAt":"2025-03-01T10:00:00Z","seqNo":0,"reportData":[{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"},"variableAttribute":[{"value":"10","mutability":"ReadWrite"}]}]}""" },
        { "NotifyEvent", """{"generatedAt":"2025-03-01T10:00:00Z","seqNo":0,"eventData":[{"eventId":1,"timestamp":"2025-03-01T10:00:00Z","trigger":"Delta","actualValue":"Occupied","eventNotificationType":"HardWiredNotification","component":{"name":"Connector","evse":{"id":1,"connectorId":1}},"variable":{"name":"AvailabilityState"}}]}""" },
        { "NotifyEVChargingNeeds", """{"evseId":1,"chargingNeeds":{"requestedEnergyTransfer":"AC_three_phase","acChargingParameters":{"energyAmount":20000,"evMinCurrent":6,"evMaxCurrent":16,"evMaxVoltage":400}}}""" },
        { "NotifyChargingLimit", """{"chargingLimit":{"chargingLimitSource":"EMS"},"evseId":1}""" },
        { "ClearedChargingLimit", """{"chargingLimitSource":"EMS"}""" },
        { "SecurityEventNotification", """{"type":"StartupOfTheDevice","timestamp":"2025-03-01T10:00:00Z"}""" },
        { "FirmwareStatusNotification", """{"status":"Idle"}""" },
        { "LogStatusNotification", """{"status":"Idle"}""" },
        { "DataTransfer", """{"vendorId":"com.bmw","messageId":"x","data":{"any":[1,2]}}""" },
        { "StatusNotification", """{"timestamp":"2025-03-01T10:00:00\u005a","connectorStatus":"Occupie\u0064","evseId":1,"connector\u0049d":1}""" },
    };

    [Theory]
    [MemberData(nameof(EveryStationMessage))]
    public async Task Every_station_message_gets_a_schema_valid_answer_never_an_error(string action, string payload)
    {
        var reply = await Handle(Create(), action, payload);

        Assert.Null(reply.ErrorCode);
        Schema.AssertValidResponse(action, reply.ResultJson!);
    }

    [Fact]
    public async Task BootNotification_is_accepted_with_the_heartbeat_interval_and_UTC_time()
    {
        var options = new OcppOptions { HeartbeatInterval = TimeSpan.FromSeconds(90), Stations = [new StationOptions { Id = Station, Password = "0123456789abcdef" }] };
        var reply = await Handle(Create(options), "BootNotification", """{"chargingStation":{"model":"M","vendorName":"V"},"reason":"PowerUp"}""");

        var answer = JsonDocument.Parse(reply.ResultJson!).RootElement;
        Assert.Equal("Accepted", answer.GetProperty("status").GetString());
        Assert.Equal(90, answer.GetProperty("interval").GetInt32());
        Assert.Equal("2025-03-01T10:00:00.000Z", answer.GetProperty("currentTime").GetString());
    }

    [Theory]
    [InlineData("Heartbeat", """{"extra":1}""", RpcErrorCode.PropertyConstraintViolation, "$.extra")]
    [InlineData("StatusNotification", """{"timestamp":"2025-03-01T10:00:00Z","connectorStatus":"Occupied","evseId":1}""", RpcErrorCode.OccurrenceConstraintViolation, "$.connectorId is required")]
    [InlineData("StatusNotification", """{"timestamp":"2025-03-01T10:00:00Z","connectorStatus":"Occupied","evseId":"1","connectorId":1}""", RpcErrorCode.TypeConstraintViolation, "$.evseId must be of type integer")]
    [InlineData("StatusNotification", """{"timestamp":"2025-03-01T10:00:00Z","connectorStatus":"Occupied","evseId":1.5,"connectorId":1}""", RpcErrorCode.TypeConstraintViolation, "$.evseId must be of type integer")]
    [InlineData("StatusNotification", """{"timestamp":"2025-03-01T10:00:00Z","connectorStatus":"Occupied","connectorId":1,"connectorId":1}""", RpcErrorCode.OccurrenceConstraintViolation, "$.evseId is required")]
    [InlineData("StatusNotification", """{"timestamp":"2025-03-01T10:00:00Z","connectorStatus":"Sleeping","evseId":1,"connectorId":1}""", RpcErrorCode.PropertyConstraintViolation, "$.connectorStatus must be one of")]
    [InlineData("StatusNotification", """{"timestamp":"yesterday","connectorStatus":"Occupied","evseId":1,"connectorId":1}""", RpcErrorCode.PropertyConstraintViolation, "$.timestamp must be an ISO-8601")]
    [InlineData("BootNotification", """{"chargingStation":{"model":"123456789012345678901","vendorName":"V"},"reason":"PowerUp"}""", RpcErrorCode.PropertyConstraintViolation, "$.chargingStation.model is longer than 20")]
    [InlineData("BootNotification", """{"chargingStation":{"model":"ééééééééééééééééééééé","vendorName":"V"},"reason":"PowerUp"}""", RpcErrorCode.PropertyConstraintViolation, "$.chargingStation.model is longer than 20")]
    [InlineData("BootNotification", """{"chargingStation":{"model":"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9","vendorName":"V"},"reason":"PowerUp"}""", RpcErrorCode.PropertyConstraintViolation, "$.chargingStation.model is longer than 20")]
    [InlineData("StatusNotification", """{"timestamp":"2025-03-01T10:00:00Z","connectorStatus":"Occupie\u0064","evseId":1,"connector\u0049d":1,"x\u0079":2}""", RpcErrorCode.PropertyConstraintViolation, "$.xy is not a property")]
    [InlineData("StatusNotification", """{"timestamp":"2025-03-01T10:00:00\u005a","connectorStatus":"Occupied","evseId":1,"connectorId":1,"extra":"\u0031"}""", RpcErrorCode.PropertyConstraintViolation, "$.extra is not a property")]
    [InlineData("StatusNotification", """{"timestamp":"2025-03-01T10:00:00\u005aZ","connectorStatus":"Occupied","evseId":1,"connectorId":1}""", RpcErrorCode.PropertyConstraintViolation, "$.timestamp must be an ISO-8601 date-time, not '2025-03-01T10:00:00ZZ'")]
    [InlineData("MeterValues", """{"evseId":1,"meterValue":[]}""", RpcErrorCode.OccurrenceConstraintViolation, "$.meterValue needs at least 1")]
    [InlineData("MeterValues", """{"evseId":1,"meterValue":[{"timestamp":"2025-03-01T10:00:00Z","sampledValue":[{"value":null}]}]}""", RpcErrorCode.TypeConstraintViolation, "$.meterValue[0].sampledValue[0].value")]
    [InlineData("NotifyEVChargingNeeds", """{"evseId":1,"chargingNeeds":{"requestedEnergyTransfer":"DC","dcChargingParameters":{"evMaxCurrent":1,"evMaxVoltage":1,"stateOfCharge":101}}}""", RpcErrorCode.PropertyConstraintViolation, "stateOfCharge must be at most 100")]
    public async Task Invalid_payloads_get_the_CALLERROR_code_of_their_violation(string action, string payload, string code, string description)
    {
        var store = new WallboxStateStore([new StationOptions { Id = Station, Password = "0123456789abcdef" }], _time, _logs.CreateLogger("state"));
        var before = store.Get(Station);

        var reply = await Handle(Create(store: store), action, payload);

        Assert.Equal(code, reply.ErrorCode);
        Assert.Contains(description, reply.ErrorDescription);
        Assert.Same(before, store.Get(Station)); // bad input changes nothing
    }

    [Fact]
    public async Task Unknown_actions_are_NotImplemented_and_known_other_ones_NotSupported()
    {
        var handler = Create();
        Assert.Equal(RpcErrorCode.NotImplemented, (await Handle(handler, "MakeCoffee", "{}")).ErrorCode);
        Assert.Equal(RpcErrorCode.NotSupported, (await Handle(handler, "SignCertificate", """{"csr":"x"}""")).ErrorCode);
    }

    [Theory]
    [InlineData("CAR1", "ISO14443", "Accepted")]
    [InlineData("STRANGER", "ISO14443", "Unknown")]
    [InlineData("", "NoAuthorization", "Accepted")]
    public async Task Authorize_accepts_only_listed_tokens_when_a_list_is_configured(string token, string type, string status)
    {
        var options = new OcppOptions { IdTokens = ["CAR1"], Stations = [new StationOptions { Id = Station, Password = "0123456789abcdef" }] };

        var reply = await Handle(Create(options), "Authorize", $$$"""{"idToken":{"idToken":"{{{token}}}","type":"{{{type}}}"}}""");

        Assert.Equal(status, JsonDocument.Parse(reply.ResultJson!).RootElement.GetProperty("idTokenInfo").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Every_token_is_accepted_without_a_list_also_in_TransactionEvent()
    {
        var reply = await Handle(Create(), "TransactionEvent",
            """{"eventType":"Started","timestamp":"2025-03-01T10:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"t"},"idToken":{"idToken":"ANY","type":"Local"}}""");

        Assert.Equal("Accepted", JsonDocument.Parse(reply.ResultJson!).RootElement.GetProperty("idTokenInfo").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Boot_and_report_update_the_state_and_raise_events()
    {
        var options = new OcppOptions { Stations = [new StationOptions { Id = Station, Password = "0123456789abcdef", Name = "garage" }] };
        var store = new WallboxStateStore(options.Stations, _time, _logs.CreateLogger("state"));
        using var watcher = new StateWatcher(store);
        var handler = Create(options, store);

        await Handle(handler, "BootNotification", """{"chargingStation":{"model":"EIAW-E22KTSE6B04","vendorName":"BMW","serialNumber":"S1"},"reason":"PowerUp"}""");
        await Handle(handler, "NotifyReport", """{"requestId":1,"generatedAt":"2025-03-01T10:00:00Z","seqNo":0,"reportData":[{"component":{"name":"TxCtrlr"},"variable":{"name":"StopTxOnEVSideDisconnect"},"variableAttribute":[{"type":"Actual","value":"true","mutability":"ReadOnly"}]},{"component":{"name":"EVSE","instance":"1"},"variable":{"name":"Power"},"variableAttribute":[{"type":"MaxSet","value":"22000"}]}]}""");

        Assert.Equal([WallboxEventKind.Booted, WallboxEventKind.VariablesReported], watcher.Drain());
        var state = store.Get(Station)!;
        Assert.Equal(("BMW", "EIAW-E22KTSE6B04", "S1", "PowerUp"), (state.Boot!.Vendor, state.Boot.Model, state.Boot.SerialNumber, state.Boot.Reason));
        Assert.Equal("true", state.Variables["TxCtrlr.StopTxOnEVSideDisconnect"]);
        Assert.False(state.Variables.ContainsKey("EVSE[1].Power")); // only Actual values are state
    }
}

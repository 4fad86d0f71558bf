using BmwWallbox.Core;
using BmwWallbox.Ocpp.Messages;
using BmwWallbox.Ocpp.Tests.Support;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>A box's clock can be wrong (ahead, reset to 2000 after a power cut); what we know of it must not freeze.</summary>
public sealed class StationClockTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-06-01T12:00:00Z");
    private readonly ManualClock _time = new(Now);

    private static string At(DateTimeOffset t) => OcppTimestamp.Format(t);

    private static string Status(DateTimeOffset at, string status)
        => $$"""{"timestamp":"{{At(at)}}","connectorStatus":"{{status}}","evseId":1,"connectorId":1}""";

    private static string Tx(string type, string id, int seqNo, DateTimeOffset at, string state, bool offline = false)
        => $$$"""{"eventType":"{{{type}}}","timestamp":"{{{At(at)}}}","triggerReason":"CablePluggedIn","seqNo":{{{seqNo}}},"offline":{{{(offline ? "true" : "false")}}},"transactionInfo":{"transactionId":"{{{id}}}","chargingState":"{{{state}}}"}}""";

    private const string Boot = """{"chargingStation":{"model":"EIAW-E22KTSE6B04","vendorName":"BMW Group"},"reason":"PowerUp"}""";

    private static async Task CallOkAsync(TestStation station, string action, string payload)
    {
        var answer = await station.CallAsync(action, payload);
        Assert.True(answer[0].GetInt32() == 3, $"{action} got {answer}");
    }

    [Fact]
    public async Task A_status_dated_a_day_ahead_does_not_hide_the_next_one()
    {
        await using var server = await OcppTestServer.StartAsync(time: _time);
        await using var station = await server.ConnectStationAsync();

        await CallOkAsync(station, "StatusNotification", Status(Now.AddDays(1), "Unavailable"));
        _time.Advance(TimeSpan.FromSeconds(5));
        await CallOkAsync(station, "StatusNotification", Status(Now.AddSeconds(5), "Occupied"));

        Assert.Equal(ConnectorStatus.Occupied, server.Server.States.Get(OcppTestServer.StationId)!.Status);
    }

    [Fact]
    public async Task After_a_power_cut_resets_the_box_clock_to_2000_a_new_transaction_is_tracked()
    {
        await using var server = await OcppTestServer.StartAsync(time: _time);
        await using (var before = await server.ConnectStationAsync())
        {
            await CallOkAsync(before, "TransactionEvent", Tx("Started", "tx-1", 0, Now, "Charging"));
            await CallOkAsync(before, "StatusNotification", Status(Now, "Occupied"));
        }

        _time.Advance(TimeSpan.FromMinutes(3));
        var year2000 = DateTimeOffset.Parse("2000-01-01T00:01:00Z");
        await using var after = await server.ConnectStationAsync();
        await CallOkAsync(after, "BootNotification", Boot);
        await CallOkAsync(after, "StatusNotification", Status(year2000, "Available"));
        await CallOkAsync(after, "StatusNotification", Status(year2000.AddSeconds(30), "Occupied"));
        await CallOkAsync(after, "TransactionEvent", Tx("Started", "tx-2", 0, year2000.AddSeconds(31), "EVConnected"));
        await CallOkAsync(after, "TransactionEvent", Tx("Updated", "tx-2", 1, year2000.AddSeconds(40), "Charging"));

        var state = server.Server.States.Get(OcppTestServer.StationId)!;
        Assert.Equal(ConnectorStatus.Occupied, state.Status);
        Assert.Equal(("tx-2", true, ChargingState.Charging), (state.Transaction?.Id, state.HasActiveTransaction, state.ChargingState));
    }

    [Fact]
    public async Task After_garbage_transaction_events_a_real_transaction_is_tracked()
    {
        await using var server = await OcppTestServer.StartAsync(time: _time);
        await using var station = await server.ConnectStationAsync();
        var farFuture = DateTimeOffset.Parse("9999-12-31T23:59:59Z");
        await CallOkAsync(station, "TransactionEvent", Tx("Started", "junk-1", 0, farFuture, "Charging"));
        await CallOkAsync(station, "TransactionEvent", Tx("Updated", "junk-2", 2_000_000_000, farFuture, "Charging", offline: true));
        await CallOkAsync(station, "TransactionEvent", Tx("Ended", "junk-3", 7, Now.AddYears(3), "Idle"));
        await station.SendAsync("""[2,"g1","TransactionEvent",{"garbage":true}]""");
        Assert.NotNull(await station.ReceiveAsync());

        _time.Advance(TimeSpan.FromMinutes(1));
        await CallOkAsync(station, "TransactionEvent", Tx("Started", "real-1", 0, Now.AddMinutes(1), "EVConnected"));
        await CallOkAsync(station, "TransactionEvent", Tx("Updated", "real-1", 1, Now.AddMinutes(2), "Charging"));

        var state = server.Server.States.Get(OcppTestServer.StationId)!;
        Assert.Equal(("real-1", true, ChargingState.Charging), (state.Transaction?.Id, state.HasActiveTransaction, state.ChargingState));
        Assert.Equal(Now.AddMinutes(1), state.Transaction!.StartedAt);
    }
}

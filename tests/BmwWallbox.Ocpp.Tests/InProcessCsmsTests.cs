using System.Text.Json.Nodes;
using System.Threading.Channels;
using BmwWallbox.Core;
using BmwWallbox.Ocpp.Messages;
using Microsoft.Extensions.Logging.Abstractions;

namespace BmwWallbox.Ocpp.Tests;

/// <summary>The network-free CSMS that <c>simulate</c> uses: same RPC, handling and state code, frames in memory.</summary>
public sealed class InProcessCsmsTests
{
    private const string Station = "DE*BMW*E1";
    private readonly ManualClock _time = new(DateTimeOffset.Parse("2026-06-21T10:00:00Z"));
    private readonly Channel<string> _toStation = Channel.CreateUnbounded<string>();

    private InProcessCsms Create() => new(
        new OcppOptions { Stations = [new StationOptions { Id = Station, Password = "0123456789abcdef", Name = "garage" }] },
        NullLoggerFactory.Instance, _time);

    private ValueTask ToStation(string frame, CancellationToken ct) => _toStation.Writer.WriteAsync(frame, ct);

    private async Task<JsonArray> NextFrameAsync() =>
        (JsonArray)JsonNode.Parse(await _toStation.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Guard))!;

    [Fact]
    public async Task A_station_boots_is_commanded_and_hangs_up_like_over_a_socket()
    {
        await using var csms = Create();
        var session = csms.Connect(Station, ToStation);
        Assert.True(csms.States.Get(Station)!.Connected);

        Assert.True(session.Send("""[2,"b1","BootNotification",{"chargingStation":{"model":"EIAW-E22KTSE6B04","vendorName":"BMW Group"},"reason":"PowerUp"}]"""));
        var boot = await NextFrameAsync();
        Assert.Equal(3, boot[0]!.GetValue<int>());
        Assert.Equal("b1", boot[1]!.GetValue<string>());
        Assert.Equal("Accepted", boot[2]!["status"]!.GetValue<string>());
        Assert.Equal("EIAW-E22KTSE6B04", csms.States.Get(Station)!.Boot!.Model);

        var command = csms.Commands.TriggerMessageAsync(Station, new TriggerMessageRequest(MessageTrigger.MeterValues, new Evse(1)));
        var call = await NextFrameAsync();
        Assert.Equal("TriggerMessage", call[2]!.GetValue<string>());
        session.Send($$"""[3,"{{call[1]}}",{"status":"Accepted"}]""");
        var result = await command.WaitAsync(TestTimeouts.Guard);
        Assert.Equal(TriggerMessageStatus.Accepted, result.Response!.Status);

        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        csms.States.Changed += e => { if (e.Kind == WallboxEventKind.Disconnected) disconnected.TrySetResult(); };
        session.Close();
        await session.Completion.WaitAsync(TestTimeouts.Guard);
        await disconnected.Task.WaitAsync(TestTimeouts.Guard);
        Assert.False(csms.States.Get(Station)!.Connected);
        Assert.Equal(CommandStatus.NotConnected, (await csms.Commands.TriggerMessageAsync(Station, new TriggerMessageRequest(MessageTrigger.MeterValues))).Status);
    }

    [Fact]
    public async Task A_schema_violation_from_the_station_gets_its_call_error()
    {
        await using var csms = Create();
        var session = csms.Connect(Station, ToStation);
        session.Send("""[2,"h1","StatusNotification",{"connectorStatus":"Occupied"}]""");
        var reply = await NextFrameAsync();
        Assert.Equal(4, reply[0]!.GetValue<int>());
        Assert.Equal("h1", reply[1]!.GetValue<string>());
        Assert.Null(csms.States.Get(Station)!.Status);
    }

    [Fact]
    public void An_unconfigured_station_cannot_connect()
    {
        var csms = Create();
        var e = Assert.Throws<ArgumentException>(() => csms.Connect("DE*BMW*E9", ToStation));
        Assert.Contains("not in ocpp.stations", e.Message);
    }
}

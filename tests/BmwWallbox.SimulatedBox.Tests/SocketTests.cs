using System.Text.Json.Nodes;
using BmwWallbox.TestKit.Certificates;
using BmwWallbox.TestKit.Ocpp;

namespace BmwWallbox.SimulatedBox.Tests;

/// <summary>The box over a real WebSocket to a Kestrel CSMS on an ephemeral loopback port (real time, short delays).</summary>
public sealed class SocketTests
{
    private const string StationId = "DE*BMW*E1";
    private const string Password = "0123456789abcdef";

    private static SimulatedWallbox NewBox(BoxQuirks? quirks = null) => new(new SimulatedBoxOptions
    {
        StationId = StationId,
        Quirks = quirks ?? BoxQuirks.None,
        ReconnectDelayMin = TimeSpan.FromMilliseconds(20),
        ReconnectDelayMax = TimeSpan.FromMilliseconds(200),
        RebootDuration = TimeSpan.FromMilliseconds(100),
    });

    private static SimulatedBoxClient NewClient(SimulatedWallbox box, FakeCsmsServer server, bool acceptAny = true) =>
        new(box, new SimulatedBoxClientOptions { ServerUri = server.BaseUri, Password = Password, AcceptAnyServerCertificate = acceptAny });

    [Fact]
    public async Task Connects_like_the_BMW_boots_and_answers_CSMS_calls()
    {
        await using var server = await FakeCsmsServer.StartAsync(passwords: new Dictionary<string, string> { [StationId] = Password });
        await using var box = NewBox();
        await using var client = NewClient(box, server);
        await client.StartAsync();

        await box.WaitForBootAcceptedAsync().WaitAsync(TestTimeouts.Guard);
        var handshake = await server.Handshakes.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Guard);
        Assert.Equal("/DE%2ABMW%2AE1", handshake.RawTarget);
        Assert.Contains("ocpp2.0.1", handshake.SubProtocols);
        var boot = await server.NextCallAsync("BootNotification");
        Assert.Equal("PowerUp", (string?)boot["reason"]);
        Assert.Equal("BMW Group", (string?)boot["chargingStation"]!["vendorName"]);
        Assert.Equal("EIAW-E22KTSE6B04", (string?)boot["chargingStation"]!["model"]);
        await server.NextCallAsync("StatusNotification");

        var reply = await server.CallAsync("SetChargingProfile", Harness.TxDefault(100, 10));
        Assert.Equal(3, (int)reply[0]!);
        Assert.Equal("Accepted", (string?)reply[2]!["status"]);
        await box.WaitForAppliedLimitAsync(10).WaitAsync(TestTimeouts.Guard);

        var error = await server.CallAsync("Frobnicate", []);
        Assert.Equal(4, (int)error[0]!);
        Assert.Equal("NotImplemented", (string?)error[2]);
        Assert.Equal(1, client.ConnectCount);
    }

    [Fact]
    public async Task Wrong_password_is_refused_by_the_server_and_the_box_keeps_retrying()
    {
        await using var server = await FakeCsmsServer.StartAsync(passwords: new Dictionary<string, string> { [StationId] = "another-password-123" });
        await using var box = NewBox();
        await using var client = NewClient(box, server);
        var since = box.EventSequence;
        await client.StartAsync();

        await box.WaitForAsync(e => e.Kind == SimulatorEventKind.ConnectFailed, since).WaitAsync(TestTimeouts.Guard);
        await box.WaitForAsync(e => e.Kind == SimulatorEventKind.ConnectFailed, box.EventSequence).WaitAsync(TestTimeouts.Guard);
        Assert.Contains("401", client.LastConnectError!.Message);
        Assert.False(box.IsConnected);
    }

    [Fact]
    public async Task After_a_drop_it_reconnects_and_replays_queued_transaction_events_offline()
    {
        await using var server = await FakeCsmsServer.StartAsync();
        await using var box = NewBox();
        await using var client = NewClient(box, server);
        await client.StartAsync();
        await box.WaitForBootAcceptedAsync().WaitAsync(TestTimeouts.Guard);
        var beforePlugIn = box.EventSequence;
        box.PlugIn(Harness.Car());
        var started = await server.NextCallAsync("TransactionEvent");
        Assert.Equal("Started", (string?)started["eventType"]);
        // Wait until the box has the CSMS's answer to seqNo 1, else it is (rightly) re-sent after the drop.
        await box.WaitForAsync(e => e.Kind == SimulatorEventKind.MessageSent && e.Detail is null && (int?)e.Payload?["seqNo"] == 1, beforePlugIn)
            .WaitAsync(TestTimeouts.Guard);
        Assert.Equal(1, (int)(await server.NextCallAsync("TransactionEvent"))["seqNo"]!);

        server.Accepting = false;
        var since = box.EventSequence;
        await client.DropConnectionAsync();
        await box.WaitForAsync(e => e.Kind == SimulatorEventKind.Disconnected, since).WaitAsync(TestTimeouts.Guard);
        Assert.Equal("(cut)", await server.Closes.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Guard)); // a network drop sends nothing more
        box.SuspendByCar();
        await box.WaitForAsync(e => e.Kind == SimulatorEventKind.ConnectFailed, since).WaitAsync(TestTimeouts.Guard);
        server.Accepting = true;

        await box.WaitForAsync(e => e.Kind == SimulatorEventKind.Connected, since).WaitAsync(TestTimeouts.Guard);
        var replayed = await server.NextCallAsync("TransactionEvent");
        Assert.Equal(2, (int)replayed["seqNo"]!);
        Assert.True((bool?)replayed["offline"]);
        Assert.Equal("SuspendedEV", (string?)replayed["transactionInfo"]!["chargingState"]);
        Assert.Equal(2, client.ConnectCount);
    }

    [Fact]
    public async Task Reset_drops_the_socket_and_the_box_comes_back_with_RemoteReset()
    {
        await using var server = await FakeCsmsServer.StartAsync();
        await using var box = NewBox();
        await using var client = NewClient(box, server);
        await client.StartAsync();
        await box.WaitForBootAcceptedAsync().WaitAsync(TestTimeouts.Guard);
        await server.NextCallAsync("BootNotification");

        var since = box.EventSequence;
        var reply = await server.CallAsync("Reset", new JsonObject { ["type"] = "Immediate" });
        Assert.Equal("Accepted", (string?)reply[2]!["status"]);
        // Going down, the box closes with a close frame after its answer, so the answer is never lost to a cut connection.
        Assert.Equal("reboot", await server.Closes.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Guard));
        var boot = await server.NextCallAsync("BootNotification");
        Assert.Equal("RemoteReset", (string?)boot["reason"]);
        await box.WaitForAsync(e => e.Kind == SimulatorEventKind.BootAccepted, since).WaitAsync(TestTimeouts.Guard);
        Assert.Equal(2, client.ConnectCount);
    }

    [Fact]
    public async Task Strict_box_breaks_on_a_reply_with_an_unknown_message_id()
    {
        await using var server = await FakeCsmsServer.StartAsync();
        await using var box = NewBox(BoxQuirks.None with { StrictMessageIds = true });
        await using var client = NewClient(box, server);
        await client.StartAsync();
        await box.WaitForBootAcceptedAsync().WaitAsync(TestTimeouts.Guard);

        var since = box.EventSequence;
        await server.SendAsync(new JsonArray(3, "abandoned-id", new JsonObject()));
        await box.WaitForAsync(e => e.Kind == SimulatorEventKind.Desynchronised, since).WaitAsync(TestTimeouts.Guard);
        var reply = await server.CallAsync("GetTransactionStatus", []);
        Assert.Equal(4, (int)reply[0]!);
        Assert.Equal("GenericError", (string?)reply[2]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Quirk11_a_self_signed_certificate_is_refused_unless_told_to_accept_any(bool acceptAny)
    {
        using var certificate = TestCertificates.Leaf(null, DateTimeOffset.UtcNow, "localhost");
        await using var server = await FakeCsmsServer.StartAsync(certificate);
        await using var box = NewBox();
        await using var client = NewClient(box, server, acceptAny);
        var since = box.EventSequence;
        await client.StartAsync();

        var outcome = await box.WaitForAsync(e => e.Kind is SimulatorEventKind.BootAccepted or SimulatorEventKind.ConnectFailed, since).WaitAsync(TestTimeouts.Guard);
        Assert.Equal(acceptAny ? SimulatorEventKind.BootAccepted : SimulatorEventKind.ConnectFailed, outcome.Kind);
        if (!acceptAny) Assert.Contains("SSL", outcome.Detail!, StringComparison.OrdinalIgnoreCase);
    }
}

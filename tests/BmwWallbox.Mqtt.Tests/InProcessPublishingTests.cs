using System.Net;
using System.Net.Sockets;
using System.Text;
using BmwWallbox.Core;
using BmwWallbox.Mqtt.Tests.Infrastructure;
using BmwWallbox.TestKit.Mqtt;
using MQTTnet;
using static BmwWallbox.Mqtt.Tests.Infrastructure.BridgeHarness;

namespace BmwWallbox.Mqtt.Tests;

/// <summary>
/// With the embedded broker the bridge hands its messages to it in process instead of over loopback TCP:
/// clients of the broker must see no difference.
/// </summary>
public class InProcessPublishingTests
{
    // A broker queue far shorter than the bursts: had the bridge not waited for the clients, they would lose most of them.
    private static MqttOptions Embedded(int port) => new()
    {
        Port = port,
        Bind = "127.0.0.1",
        BaseTopic = Base,
        MaxPendingMessagesPerClient = 20,
    };

    [Fact]
    public async Task Hubs_get_the_bridges_messages_live_complete_in_order_and_retained()
    {
        var port = FreePort.Next();
        await using var harness = new BridgeHarness(Embedded(port));
        await harness.StartAsync();
        await using var live = await TestMqttClient.ConnectAsync(port, $"{Base}/#");
        await live.WaitForAsync($"{Base}/status", "online");

        // A burst through the bridge's one pump: rule messages (not retained, so never coalesced), then a state change.
        var sequence = Enumerable.Range(1, 500).Select(i => i.ToString()).ToList();
        foreach (var n in sequence) await harness.Bridge.Bus.PublishAsync(Topic("sequence"), n);
        harness.States.Set(ChargingState() with { VoltageV = 231 }, WallboxEventKind.MeterValues);
        await live.WaitForAsync(Topic("voltage"), "231");
        Assert.Equal(sequence, live.Payloads(Topic("sequence")));

        // The broker stored the retained values for a hub that subscribes later.
        await using var late = await TestMqttClient.ConnectAsync(port, Topic("voltage"), $"{Base}/status");
        Assert.Equal("231", (await late.WaitForAsync(r => r.Topic == Topic("voltage") && r.Retain)).Payload);
        Assert.Equal("online", (await late.WaitForAsync(r => r.Topic == $"{Base}/status" && r.Retain)).Payload);

        // Outside clients still may not publish there, and no message of the bridge was taken for theirs.
        await using var intruder = await TestMqttClient.ConnectAsync(port, login: null, clientId: "intruder");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await intruder.PublishAsync(Topic("voltage"), "0", retain: true)).ReasonCode);
        await harness.Logs.NextMatchAsync(e => e.Message.Contains("intruder") && e.Message.Contains("refused publish"));
        Assert.Single(harness.Logs.Entries, e => e.Message.Contains("refused publish"));
    }

    [Fact]
    public async Task A_client_that_stops_reading_does_not_hold_the_bridge_up()
    {
        var port = FreePort.Next();
        await using var harness = new BridgeHarness(Embedded(port));
        await harness.StartAsync();
        using var stuck = await SubscribeAndNeverReadAsync(port, $"{Base}/load/#");
        await using var hub = await TestMqttClient.ConnectAsync(port, $"{Base}/load/done");

        // Far more than the socket buffers and the stuck client's queue take: the bridge has to stop waiting for it.
        var payload = new string('x', 64 * 1024);
        for (var i = 0; i < 200; i++) await harness.Bridge.Bus.PublishAsync($"{Base}/load/{i}", payload);
        await harness.Bridge.Bus.PublishAsync($"{Base}/load/done", "yes");

        await hub.WaitForAsync($"{Base}/load/done", "yes");
    }

    /// <summary>An MQTT 3.1.1 client (no keep-alive) that subscribes with a tiny receive buffer and then reads nothing more.</summary>
    private static async Task<Socket> SubscribeAndNeverReadAsync(int port, string filter)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TestTimeouts.Guard);
        byte[] clientId = [.. Encoded("stuck")];
        await socket.SendAsync(Packet(0x10, [.. Encoded("MQTT"), 4, 0x02, 0, 0, .. clientId])); // CONNECT, clean session
        await ReadExactlyAsync(socket, 4); // CONNACK
        await socket.SendAsync(Packet(0x82, [0, 1, .. Encoded(filter), 0])); // SUBSCRIBE, packet id 1, QoS 0
        await ReadExactlyAsync(socket, 5); // SUBACK
        return socket;

        static byte[] Encoded(string text) => [0, (byte)Encoding.UTF8.GetByteCount(text), .. Encoding.UTF8.GetBytes(text)];
        static byte[] Packet(byte type, byte[] body) => [type, (byte)body.Length, .. body]; // bodies under 128 bytes
    }

    private static async Task ReadExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read)).AsTask().WaitAsync(TestTimeouts.Guard);
            if (n == 0) throw new IOException("the broker closed the connection");
            read += n;
        }
    }
}

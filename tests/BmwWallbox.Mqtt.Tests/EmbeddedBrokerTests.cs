using System.Net;
using System.Net.Sockets;
using BmwWallbox.Mqtt.Tests.Infrastructure;
using BmwWallbox.TestKit.Mqtt;
using MQTTnet;
using MQTTnet.Formatter;
using Microsoft.Extensions.Logging.Abstractions;
using static BmwWallbox.Mqtt.Tests.Infrastructure.BridgeHarness;

namespace BmwWallbox.Mqtt.Tests;

/// <summary><c>mqtt.broker: embedded</c>: the bridge brings its own broker that other hubs can use.</summary>
public class EmbeddedBrokerTests
{
    private static MqttOptions Embedded(int port) => new()
    {
        Port = port,
        Bind = "127.0.0.1",
        BaseTopic = Base,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public async Task Another_hub_sees_retained_state_and_can_send_commands()
    {
        var port = FreePort.Next();
        await using var harness = new BridgeHarness(Embedded(port));
        await harness.StartAsync();

        await using (var first = await TestMqttClient.ConnectAsync(port, $"{Base}/#"))
            await first.WaitForAsync(Topic("transaction_id"), "tx-1");

        // A hub connecting later finds status, state and discovery retained in the embedded broker. (A live
        // republish racing the subscription may arrive first, unflagged; the retained copy must come too.)
        await using var hub = await TestMqttClient.ConnectAsync(port, $"{Base}/#", "homeassistant/#");
        Task<Received> RetainedAsync(string topic, string? payload = null) =>
            hub.WaitForAsync(r => r.Topic == topic && (payload is null || r.Payload == payload) && r.Retain);
        Assert.True((await RetainedAsync($"{Base}/status", "online")).Retain);
        Assert.True((await RetainedAsync(Topic("power"), "7360.4")).Retain);
        Assert.True((await RetainedAsync("homeassistant/device/bmw_rules_bmw_001/config")).Retain);

        await hub.PublishAsync($"{Base}/{Station}/set/current", "12");
        var result = await hub.WaitForAsync(Topic("result"));
        Assert.Equal("""{"action":"current","ok":true,"reason":"claim done"}""", result.Payload);
        Assert.Equal(12, Assert.Single(harness.Controller.Calls).Claim!.Amps);

        // Hubs talk to each other through it too.
        await using var other = await TestMqttClient.ConnectAsync(port, "hub/#");
        await hub.PublishAsync("hub/hello", "world");
        await other.WaitForAsync("hub/hello", "world");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_client_without_client_id_gets_one_assigned_like_mosquitto_sub(MqttProtocolVersion version)
    {
        var port = FreePort.Next();
        await using var harness = new BridgeHarness(Embedded(port));
        await harness.StartAsync();
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithProtocolVersion(version).WithCleanSession(true).Build();
        options.ClientId = "";

        var connected = await client.ConnectAsync(options).WaitAsync(TestTimeouts.Guard);

        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        await client.DisconnectAsync();
    }

    [Fact]
    public async Task Stop_says_offline_and_closes_the_port()
    {
        var port = FreePort.Next();
        var harness = new BridgeHarness(Embedded(port));
        await harness.StartAsync();
        await using (var hub = await TestMqttClient.ConnectAsync(port, $"{Base}/status"))
            await hub.WaitForAsync($"{Base}/status", "online");
        await harness.Bridge.StopAsync();
        await harness.DisposeAsync();

        using var probe = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task A_taken_port_is_a_clear_error()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var broker = new EmbeddedMqttBroker("127.0.0.1", port, NullLogger<EmbeddedMqttBroker>.Instance);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => broker.StartAsync());
        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("mqtt.port", error.Message);
    }

    [Fact]
    public void A_bind_that_is_not_an_address_is_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => new EmbeddedMqttBroker("my-pc", 1883, NullLogger<EmbeddedMqttBroker>.Instance));
        Assert.Contains("mqtt.bind", error.Message);
    }
}

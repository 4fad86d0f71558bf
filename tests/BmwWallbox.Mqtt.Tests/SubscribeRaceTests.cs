using System.Net;
using System.Net.Sockets;
using BmwWallbox.Mqtt.Tests.Infrastructure;
using BmwWallbox.TestKit.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;

namespace BmwWallbox.Mqtt.Tests;

/// <summary>
/// MQTTnet's broker copies the retained messages when a SUBSCRIBE arrives and puts the subscription in place a
/// moment later: a retained message of the bridge published in between must still reach the subscriber.
/// </summary>
public class SubscribeRaceTests
{
    [Fact]
    public async Task A_retained_message_published_while_a_client_subscribes_reaches_it()
    {
        var port = FreePort.Next();
        await using var broker = new EmbeddedMqttBroker("127.0.0.1", port, NullLogger<EmbeddedMqttBroker>.Instance);
        await broker.StartAsync();

        // Hold the SUBSCRIBE where MQTTnet asks about each filter: after the copy, before the subscription.
        var inBetween = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var goOn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        broker.Server!.InterceptingSubscriptionAsync += async _ =>
        {
            inBetween.TrySetResult();
            await goOn.Task;
        };
        var subscribing = TestMqttClient.ConnectAsync(port, "hub/#");
        await inBetween.Task.WaitAsync(TestTimeouts.Guard);

        var message = new MqttApplicationMessageBuilder().WithTopic("hub/status").WithPayload("online").WithRetainFlag().Build();
        var publishing = broker.PublishFromBridgeAsync(message, CancellationToken.None);
        goOn.SetResult();
        await publishing.WaitAsync(TestTimeouts.Guard);

        await using var hub = await subscribing;
        Assert.Equal("online", (await hub.WaitForAsync("hub/status")).Payload);
    }

    [Fact]
    public async Task A_subscribe_of_nothing_from_a_client_that_then_goes_silent_does_not_hold_up_the_bridge()
    {
        var port = FreePort.Next();
        await using var broker = new EmbeddedMqttBroker("127.0.0.1", port, NullLogger<EmbeddedMqttBroker>.Instance);
        await broker.StartAsync();
        await using var hub = await TestMqttClient.ConnectAsync(port, "hub/#");

        // MQTT 3.1.1 without keep-alive: CONNECT, then a SUBSCRIBE whose one filter is empty, then nothing.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TestTimeouts.Guard);
        await silent.SendAsync(new byte[] { 0x10, 17, 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0x02, 0, 0, 0, 5, (byte)'q', (byte)'u', (byte)'i', (byte)'e', (byte)'t' });
        await silent.ReceiveAsync(new byte[4]).WaitAsync(TestTimeouts.Guard); // CONNACK
        await silent.SendAsync(new byte[] { 0x82, 5, 0, 1, 0, 0, 0 }); // SUBSCRIBE, packet id 1, filter "" at QoS 0
        await silent.ReceiveAsync(new byte[5]).WaitAsync(TestTimeouts.Guard); // SUBACK (or the broker closing): it has been read

        var message = new MqttApplicationMessageBuilder().WithTopic("hub/status").WithPayload("online").WithRetainFlag().Build();
        await broker.PublishFromBridgeAsync(message, CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        Assert.Equal("online", (await hub.WaitForAsync("hub/status")).Payload);
    }
}

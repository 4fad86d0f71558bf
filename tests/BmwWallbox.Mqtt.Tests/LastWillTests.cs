using BmwWallbox.Mqtt.Tests.Infrastructure;
using BmwWallbox.TestKit.Mqtt;
using MQTTnet;

namespace BmwWallbox.Mqtt.Tests;

public class LastWillTests
{
    [Fact]
    public async Task A_connection_that_dies_leaves_a_retained_offline()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var options = ClientOptionsFactory.Create(BridgeHarness.External(broker.Port), "bmw-wallbox/status");

        // The bridge's client options on a raw client, dropped without DISCONNECT (a crash, a pulled cable).
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(options, CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        await using var watcher = await TestMqttClient.ConnectAsync(broker.Port, "bmw-wallbox/status");
        client.Dispose();

        await watcher.WaitForAsync("bmw-wallbox/status", "offline");
        await using var late = await TestMqttClient.ConnectAsync(broker.Port, "bmw-wallbox/status");
        Assert.True((await late.WaitForAsync("bmw-wallbox/status", "offline")).Retain);
    }
}

using System.Threading.Channels;
using BmwWallbox.Mqtt.Tests.Infrastructure;
using BmwWallbox.TestKit.Mqtt;
using static BmwWallbox.Mqtt.Tests.Infrastructure.BridgeHarness;

namespace BmwWallbox.Mqtt.Tests;

/// <summary>The bridge's IMessageBus, as the rules engine uses it, over a real Mosquitto.</summary>
public class MessageBusTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;
    private BridgeHarness _harness = null!;
    private TestMqttClient _hub = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _harness = new BridgeHarness(External(_broker.Port, discovery: false));
        await _harness.StartAsync();
        _hub = await TestMqttClient.ConnectAsync(_broker.Port, "rules/#", $"{Base}/status");
        await _hub.WaitForAsync($"{Base}/status", "online");
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _harness.DisposeAsync();
        await _broker.DisposeAsync();
    }

    private static Channel<(string, string)> Collect(out Action<string, string> handler)
    {
        var channel = Channel.CreateUnbounded<(string, string)>();
        handler = (topic, payload) => channel.Writer.TryWrite((topic, payload));
        return channel;
    }

    private static Task<(string, string)> NextAsync(Channel<(string, string)> channel)
        => channel.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Guard);

    [Fact]
    public async Task Publish_reaches_other_clients_and_retained_stays()
    {
        await _harness.Bridge.Bus.PublishAsync("rules/cheap_night/trace", """{"fired":true}""");
        await _hub.WaitForAsync("rules/cheap_night/trace", """{"fired":true}""");

        await _harness.Bridge.Bus.PublishAsync("rules/mode", "eco", retain: true);
        await _hub.WaitForAsync("rules/mode", "eco");
        await using var late = await TestMqttClient.ConnectAsync(_broker.Port, "rules/mode");
        Assert.True((await late.WaitForAsync("rules/mode", "eco")).Retain);
    }

    [Fact]
    public async Task Wildcard_subscriptions_receive_matching_topics_only()
    {
        var plus = Collect(out var onPlus);
        var hash = Collect(out var onHash);
        using var a = _harness.Bridge.Bus.Subscribe("home/+/power", onPlus);
        using var b = _harness.Bridge.Bus.Subscribe("home/#", onHash);
        // Subscriptions go out asynchronously; a retained marker proves each is active on the broker.
        await _hub.PublishAsync("home/ready", "1", retain: true);
        Assert.Equal(("home/ready", "1"), await NextAsync(hash));

        await _hub.PublishAsync("home/garage/power", "100");
        await _hub.PublishAsync("home/garage/energy", "5");
        await _hub.PublishAsync("home/garage/sub/power", "7");
        await _hub.PublishAsync("home/end", "x");
        Assert.Equal(("home/garage/power", "100"), await NextAsync(hash));
        Assert.Equal(("home/garage/energy", "5"), await NextAsync(hash));
        Assert.Equal(("home/garage/sub/power", "7"), await NextAsync(hash));
        Assert.Equal(("home/end", "x"), await NextAsync(hash));
        Assert.Equal(("home/garage/power", "100"), await NextAsync(plus));
        Assert.False(plus.Reader.TryRead(out var extra), $"unexpected {extra}");
    }

    [Fact]
    public async Task Disposing_a_subscription_stops_its_messages_but_not_others()
    {
        var first = Collect(out var onFirst);
        var second = Collect(out var onSecond);
        var sub1 = _harness.Bridge.Bus.Subscribe("alerts/#", onFirst);
        using var sub2 = _harness.Bridge.Bus.Subscribe("alerts/#", onSecond);
        // The subscribe may still be in flight: retained markers make the handshake observable.
        await _hub.PublishAsync("alerts/ready", "r", retain: true);
        await WaitForAsync(first, ("alerts/ready", "r"));
        await WaitForAsync(second, ("alerts/ready", "r"));

        sub1.Dispose();
        await _hub.PublishAsync("alerts/b", "2");
        await WaitForAsync(second, ("alerts/b", "2"));
        Assert.DoesNotContain(("alerts/b", "2"), Drain(first));
    }

    [Fact]
    public async Task Invalid_topics_and_filters_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => _harness.Bridge.Bus.Subscribe("a/#/b", (_, _) => { }));
        Assert.Throws<ArgumentException>(() => _harness.Bridge.Bus.Subscribe("", (_, _) => { }));
        await Assert.ThrowsAsync<ArgumentException>(() => _harness.Bridge.Bus.PublishAsync("a/+", "x"));
    }

    private static async Task WaitForAsync(Channel<(string, string)> channel, (string, string) expected)
    {
        while (await NextAsync(channel) != expected) { }
    }

    private static List<(string, string)> Drain(Channel<(string, string)> channel)
    {
        var items = new List<(string, string)>();
        while (channel.Reader.TryRead(out var item)) items.Add(item);
        return items;
    }
}

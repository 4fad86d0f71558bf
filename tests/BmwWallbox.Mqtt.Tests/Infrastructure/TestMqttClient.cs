using MQTTnet;
using MQTTnet.Protocol;

namespace BmwWallbox.Mqtt.Tests.Infrastructure;

internal sealed record Received(string Topic, string Payload, bool Retain);

/// <summary>An independent MQTT client playing Home Assistant / mosquitto_sub / mosquitto_pub.</summary>
internal sealed class TestMqttClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Lock _lock = new();
    private readonly List<Received> _received = [];
    private readonly List<(Func<Received, bool> Match, TaskCompletionSource<Received> Done)> _waiters = [];

    private TestMqttClient()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var message = new Received(e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString() ?? "", e.ApplicationMessage.Retain);
            lock (_lock)
            {
                _received.Add(message);
                foreach (var waiter in _waiters.Where(w => w.Match(message)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Done.TrySetResult(message);
                }
            }
            return Task.CompletedTask;
        };
    }

    public static async Task<TestMqttClient> ConnectAsync(int port, params string[] filters)
    {
        var client = new TestMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("test-" + Guid.NewGuid().ToString("N"))
            .WithCleanSession(true)
            .Build();
        await client._client.ConnectAsync(options, CancellationToken.None).WaitAsync(Timeout);
        foreach (var filter in filters)
            await client._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), CancellationToken.None).WaitAsync(Timeout);
        return client;
    }

    public IReadOnlyList<Received> Received
    {
        get { lock (_lock) return [.. _received]; }
    }

    public IReadOnlyList<Received> On(string topic) => Received.Where(r => r.Topic == topic).ToList();

    /// <summary>The first message (already received or still to come) that matches.</summary>
    public Task<Received> WaitForAsync(Func<Received, bool> match)
    {
        lock (_lock)
        {
            var seen = _received.FirstOrDefault(match);
            if (seen is not null) return Task.FromResult(seen);
            var done = new TaskCompletionSource<Received>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(Timeout);
        }
    }

    public Task<Received> WaitForAsync(string topic, string? payload = null)
        => WaitForAsync(r => r.Topic == topic && (payload is null || r.Payload == payload));

    public Task PublishAsync(string topic, string payload, bool retain = false)
        => _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), CancellationToken.None).WaitAsync(Timeout);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).WaitAsync(Timeout);
        }
        catch (Exception) { /* the broker may already be gone */ }
        _client.Dispose();
    }
}

using BmwWallbox.Rules.Tests.EndToEnd;
using MQTTnet;
using MQTTnet.Protocol;

namespace BmwWallbox.Rules.Tests;

/// <summary>An independent MQTT client, as Home Assistant or mosquitto_sub/pub would be.</summary>
internal sealed class TestMqttClient : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Lock _lock = new();
    private readonly List<(string Topic, string Payload)> _received = [];
    private readonly List<(Func<string, string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];

    private TestMqttClient()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var (topic, payload) = (e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString() ?? "");
            lock (_lock)
            {
                _received.Add((topic, payload));
                foreach (var w in _waiters.Where(w => w.Match(topic, payload)).ToList())
                {
                    _waiters.Remove(w);
                    w.Done.TrySetResult(payload);
                }
            }
            return Task.CompletedTask;
        };
    }

    /// <summary>Connects (with a username and password when given) and subscribes; throws when the broker refuses.</summary>
    public static async Task<TestMqttClient> ConnectAsync(int port, string filter, (string User, string Password)? login = null)
    {
        var client = new TestMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithCleanSession(true);
        if (login is var (user, password)) options.WithCredentials(user, password);
        var result = await client._client.ConnectAsync(options.Build()).WaitAsync(DaemonHarness.Timeout);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client._client.Dispose();
            throw new InvalidOperationException($"broker refused the connection: {result.ResultCode}");
        }
        await client._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build())
            .WaitAsync(DaemonHarness.Timeout);
        return client;
    }

    /// <summary>Every payload received on the topic so far, in order.</summary>
    public IReadOnlyList<string> Payloads(string topic)
    {
        lock (_lock) return _received.Where(r => r.Topic == topic).Select(r => r.Payload).ToList();
    }

    /// <summary>The payload of the first message (seen or still to come) on the topic that matches.</summary>
    public Task<string> WaitForAsync(string topic, Func<string, bool>? payload = null) =>
        WaitForAsync(t => t == topic, payload);

    public Task<string> WaitForAsync(Func<string, bool> topic, Func<string, bool>? payload = null)
    {
        bool Match(string t, string p) => topic(t) && (payload is null || payload(p));
        lock (_lock)
        {
            var seen = _received.FirstOrDefault(r => Match(r.Topic, r.Payload));
            if (seen.Topic is not null) return Task.FromResult(seen.Payload);
            var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Match, done));
            return done.Task.WaitAsync(DaemonHarness.Timeout);
        }
    }

    /// <summary>Every message received so far, in order.</summary>
    public IReadOnlyList<(string Topic, string Payload)> Received
    {
        get { lock (_lock) return [.. _received]; }
    }

    public Task PublishAsync(string topic, string payload) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).WaitAsync(DaemonHarness.Timeout);

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}

using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace BmwWallbox.TestKit.Mqtt;

/// <summary>An independent MQTT client playing Home Assistant / mosquitto_sub / mosquitto_pub.</summary>
public sealed class TestMqttClient : IAsyncDisposable
{
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

    /// <summary>Connects anonymously (MQTT 3.1.1) and subscribes; a refusal throws <see cref="InvalidOperationException"/>.</summary>
    public static Task<TestMqttClient> ConnectAsync(int port, params string[] filters)
        => ConnectAsync(port, login: null, clientId: null, mqtt5: false, filters);

    /// <summary>Connects with a username and password (MQTT 3.1.1) and subscribes; a refusal throws <see cref="InvalidOperationException"/>.</summary>
    public static Task<TestMqttClient> ConnectAsync(int port, string filter, (string User, string Password) login)
        => ConnectAsync(port, login, clientId: null, mqtt5: false, [filter]);

    /// <summary>
    /// Connects over MQTT 5 with a username and password and/or a chosen client id, for tests of
    /// access control: a refusal throws <see cref="ConnectionRefusedException"/> with the reason code.
    /// </summary>
    public static Task<TestMqttClient> ConnectAsync(int port, (string User, string Password)? login, string? clientId, params string[] filters)
        => ConnectAsync(port, login, clientId, mqtt5: true, filters);

    private static async Task<TestMqttClient> ConnectAsync(int port, (string User, string Password)? login, string? clientId, bool mqtt5, string[] filters)
    {
        var client = new TestMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId ?? "test-" + Guid.NewGuid().ToString("N"))
            .WithCleanSession(true);
        if (login is var (user, password)) builder.WithCredentials(user, password);
        if (mqtt5) builder.WithProtocolVersion(MqttProtocolVersion.V500);
        try
        {
            var result = await client._client.ConnectAsync(builder.Build(), CancellationToken.None).WaitAsync(TestTimeouts.Guard);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
                throw mqtt5 ? new ConnectionRefusedException(result.ResultCode) : new InvalidOperationException($"broker refused the connection: {result.ResultCode}");
        }
        catch
        {
            client._client.Dispose();
            throw;
        }
        foreach (var filter in filters)
            await client._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), CancellationToken.None)
                .WaitAsync(TestTimeouts.Guard);
        return client;
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Every message received so far, in order.</summary>
    public IReadOnlyList<Received> Received
    {
        get { lock (_lock) return [.. _received]; }
    }

    /// <summary>Every message received on the topic so far, in order.</summary>
    public IReadOnlyList<Received> On(string topic) => [.. Received.Where(r => r.Topic == topic)];

    /// <summary>Every payload received on the topic so far, in order.</summary>
    public IReadOnlyList<string> Payloads(string topic) => [.. On(topic).Select(r => r.Payload)];

    /// <summary>The first message (already received or still to come) that matches.</summary>
    /// <param name="within">How long to wait (default <see cref="TestTimeouts.Guard"/>): longer behind a burst a busy machine works through.</param>
    public Task<Received> WaitForAsync(Func<Received, bool> match, TimeSpan? within = null)
    {
        lock (_lock)
        {
            var seen = _received.FirstOrDefault(match);
            if (seen is not null) return Task.FromResult(seen);
            var done = new TaskCompletionSource<Received>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(within ?? TestTimeouts.Guard);
        }
    }

    /// <summary>The first message on the topic, with exactly this payload unless it is null.</summary>
    public Task<Received> WaitForAsync(string topic, string? payload = null)
        => WaitForAsync(r => r.Topic == topic && (payload is null || r.Payload == payload));

    /// <summary>The first message on the topic whose payload matches.</summary>
    public Task<Received> WaitForAsync(string topic, Func<string, bool> payload)
        => WaitForAsync(r => r.Topic == topic && payload(r.Payload));

    /// <param name="within">How long the publish may take (default <see cref="TestTimeouts.Guard"/>): longer in a burst.</param>
    public Task<MqttClientPublishResult> PublishAsync(string topic, string payload, bool retain = false, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce, TimeSpan? within = null)
        => _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(qos).Build(), CancellationToken.None).WaitAsync(within ?? TestTimeouts.Guard);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        }
        catch (Exception) { /* the broker may already be gone */ }
        _client.Dispose();
    }
}

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

    public static Task<TestMqttClient> ConnectAsync(int port, params string[] filters)
        => ConnectAsync(port, login: null, clientId: null, filters);

    /// <summary>Connects with a username and password and/or a chosen client id; throws when the broker refuses.</summary>
    public static async Task<TestMqttClient> ConnectAsync(int port, (string User, string Password)? login, string? clientId, params string[] filters)
    {
        var client = new TestMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId ?? "test-" + Guid.NewGuid().ToString("N"))
            .WithCleanSession(true);
        if (login is var (user, password)) builder.WithCredentials(user, password);
        // MQTT 5 where a test looks at access control: refusals come back with reason codes.
        if (login is not null || clientId is not null) builder.WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500);
        try
        {
            var result = await client._client.ConnectAsync(builder.Build(), CancellationToken.None).WaitAsync(Timeout);
            if (result.ResultCode != MqttClientConnectResultCode.Success) throw new ConnectionRefusedException(result.ResultCode);
        }
        catch
        {
            client._client.Dispose();
            throw;
        }
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

    public bool IsConnected => _client.IsConnected;

    public Task<MqttClientPublishResult> PublishAsync(string topic, string payload, bool retain = false, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce)
        => _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(qos).Build(), CancellationToken.None).WaitAsync(Timeout);

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

internal sealed class ConnectionRefusedException(MqttClientConnectResultCode code) : Exception($"broker refused the connection: {code}")
{
    public MqttClientConnectResultCode Code { get; } = code;
}

using System.Threading.Channels;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace BmwWallbox.Mqtt;

/// <summary>A received message; <see cref="Retained"/> tells stored state from live traffic.</summary>
internal sealed record InboundMessage(string Topic, string Payload, bool Retained);

/// <summary>
/// The one long-lived client connection of the bridge. It never blocks or throws because the
/// broker is away: it reconnects with back-off, restores every subscription (clean session), and
/// republishes <c>online</c> plus every retained value it published, so a broker restarted
/// without persistence shows the full state again (the embedded broker keeps them itself). Also the rules' <see cref="IMessageBus"/>.
/// With the embedded broker every publish (the status too) skips the connection and goes straight into the
/// broker in this process; subscriptions and the last will still go over the connection.
/// </summary>
internal sealed class MqttConnection : IMessageBus, IAsyncDisposable
{
    private readonly IMqttClient _client;
    // The broker in this process, when it is the embedded one: publishes are handed to it directly.
    private readonly EmbeddedMqttBroker? _embeddedBroker;
    private readonly MqttClientOptions _clientOptions;
    private readonly string _statusTopic;
    private readonly ReconnectBackoff _backoff;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscriptions = [];
    // Topic -> the latest retained publish queued for it (the item itself: which one is latest is a question of identity).
    // An empty payload (a clear) stays until the broker has it: a clear made while the connection was down must reach
    // a broker that still holds the old value.
    private readonly Dictionary<string, Outgoing> _retained = new(StringComparer.Ordinal);
    // The embedded broker lives in this process and keeps every retained value for as long as we
    // run, so a value it has taken need not be kept here for a replay (with 10,000 stations
    // their Home Assistant configs alone would be ~350 MB). An external broker may restart without them.
    private readonly bool _brokerKeepsRetained;
    private readonly Channel<Outgoing> _outbox = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });

    // Serialises changes of the broker-side subscriptions (SyncSubscriptionsAsync).
    private readonly SemaphoreSlim _subscribeGate = new(1, 1);
    // Filter -> MQTT 5 subscription identifier, as subscribed on the broker (under _lock).
    // Brokers send one copy per matching subscription when filters overlap ("home/#" and
    // "home/+/power"); the identifiers say which copy is for which filter, so no handler runs twice.
    private readonly Dictionary<string, uint> _brokerFilters = new(StringComparer.Ordinal);
    private uint _lastSubscriptionId;

    // Bumped on every connect (under _lock), before the replay that carries it is queued: a retained item from
    // an older epoch is queued before that replay and covered by it, so it is not sent twice.
    private int _epoch;
    // Counts every publish queued (under _lock): the replay sends in this order, not the dictionary's.
    private long _queued;
    private TaskCompletionSource _connectionLost = NewSignal();
    private readonly CancellationTokenSource _stop = new();
    private Task? _connectLoop;
    private Task? _pump;

    public MqttConnection(MqttClientOptions clientOptions, string statusTopic, MqttOptions options, TimeProvider time, ILogger log, EmbeddedMqttBroker? embeddedBroker)
    {
        _embeddedBroker = embeddedBroker;
        Topics = new TopicLayout(options.BaseTopic);
        _brokerKeepsRetained = options.Broker is null;
        _clientOptions = clientOptions;
        _statusTopic = statusTopic;
        _backoff = new ReconnectBackoff(options.ReconnectMinDelay, options.ReconnectMaxDelay, new Random());
        _time = time;
        _log = log;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected) _connectionLost.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public TopicLayout Topics { get; }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Starts connecting in the background; returns at once whether or not the broker is there.</summary>
    public void Start()
    {
        _pump ??= Task.Run(() => PumpAsync(_stop.Token));
        _connectLoop ??= Task.Run(() => ConnectLoopAsync(_stop.Token));
    }

    public Task PublishAsync(string topic, string payload, bool retain = false, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(topic) || topic.Contains('+') || topic.Contains('#'))
            throw new ArgumentException($"Invalid MQTT topic '{topic}': it must be non-empty and contain no wildcards", nameof(topic));
        Enqueue(topic, payload, retain);
        return Task.CompletedTask;
    }

    /// <summary>Queues a publish. Retained values are remembered and replayed after every reconnect.</summary>
    public void Enqueue(string topic, string payload, bool retain)
    {
        lock (_lock)
        {
            var item = new Outgoing(topic, payload, retain, _epoch, ++_queued);
            if (retain) _retained[topic] = item;
            _outbox.Writer.TryWrite(item);
        }
    }

    public IDisposable Subscribe(string topicFilter, Action<string, string> onMessage)
        => Subscribe(topicFilter, message => onMessage(message.Topic, message.Payload));

    /// <summary>
    /// Subscribe with the retain flag visible. Dispose to unsubscribe. <paramref name="retainAsPublished"/>
    /// (MQTT 5): live messages keep the retain flag they were published with, instead of arriving as
    /// not retained. <paramref name="othersOnly"/> (MQTT 5 "no local"): what bmw-rules publishes itself is not sent back.
    /// </summary>
    public IDisposable Subscribe(string topicFilter, Action<InboundMessage> onMessage, bool retainAsPublished = false, bool othersOnly = false)
    {
        if (!TopicFilter.IsValid(topicFilter))
            throw new ArgumentException($"Invalid MQTT topic filter '{topicFilter}'", nameof(topicFilter));
        var subscription = new Subscription(topicFilter, onMessage, retainAsPublished, othersOnly, this);
        lock (_lock) _subscriptions.Add(subscription);
        _ = SyncSubscriptionsAsync(freshSession: false, _stop.Token);
        return subscription;
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_lock)
        {
            if (!_subscriptions.Remove(subscription)) return;
        }
        _ = SyncSubscriptionsAsync(freshSession: false, _stop.Token);
    }

    private async Task ConnectLoopAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            var lost = _connectionLost = NewSignal();
            try
            {
                var result = await _client.ConnectAsync(_clientOptions, ct);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    if (FallBackToMqtt311(result.ResultCode == MqttClientConnectResultCode.UnsupportedProtocolVersion)) continue;
                    throw new BrokerRefusedException(result.ResultCode, result.ReasonString);
                }
            }
            catch (MqttConnectingFailedException) when (FallBackToMqtt311(true))
            {
                continue;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failures++;
                var delay = _backoff.Delay(failures);
                // One warning per outage; every further attempt only at debug level. The innermost reason says what
                // to fix ("Connection refused", the certificate check); MQTTnet's wrapper only "Error while connecting".
                var problem = ex is BrokerRefusedException ? ex.Message : $"not reachable ({ex.GetBaseException().Message})";
                if (failures == 1)
                    _log.LogWarning("MQTT broker {Broker} {Problem}; retrying in the background", Describe(), problem);
                else
                    _log.LogDebug("MQTT connect attempt {Attempt} failed ({Problem}); next in {Delay}", failures, problem, delay);
                await DelayAsync(delay, ct);
                continue;
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                // Stopping: a connect attempt that fails now (cancelled or refused) just ends the loop.
                break;
            }

            _log.LogInformation("MQTT connected to {Broker}", Describe());
            failures = 0;
            // A new epoch before subscribing: what the subscriptions' retained messages make us publish (the migration of
            // old discovery configs) is newer than the replay and is sent, not skipped as covered by it.
            int epoch;
            lock (_lock) epoch = ++_epoch;
            await SyncSubscriptionsAsync(freshSession: true, ct);
            lock (_lock) _outbox.Writer.TryWrite(Outgoing.Replay(epoch));

            try { await lost.Task.WaitAsync(ct); }
            catch (OperationCanceledException) { break; }
            _log.LogWarning("MQTT connection to {Broker} lost; reconnecting", Describe());
            await DelayAsync(_backoff.Delay(1), ct);
        }
    }

    /// <summary>
    /// A broker that answered but did not accept our MQTT 5 CONNECT is probably MQTT 3.1.1 only:
    /// retry at once with 3.1.1 (overlapping filters may then deliver duplicates).
    /// </summary>
    private bool FallBackToMqtt311(bool handshakeFailed)
    {
        if (!handshakeFailed || _clientOptions.ProtocolVersion != MqttProtocolVersion.V500) return false;
        _log.LogInformation("MQTT broker {Broker} did not accept MQTT 5; using MQTT 3.1.1", Describe());
        _clientOptions.ProtocolVersion = MqttProtocolVersion.V311;
        return true;
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try { await Task.Delay(delay, _time, ct); }
        catch (OperationCanceledException) { }
    }

    /// <summary>Makes the broker's subscriptions match ours; after a (re)connect the broker has none.</summary>
    private async Task SyncSubscriptionsAsync(bool freshSession, CancellationToken ct)
    {
        try
        {
            await _subscribeGate.WaitAsync(ct);
        }
        catch (OperationCanceledException) { return; }
        try
        {
            List<string> added, removed;
            HashSet<string> retainAsPublished, othersOnly;
            lock (_lock)
            {
                if (freshSession) _brokerFilters.Clear();
                var wanted = _subscriptions.Select(s => s.Filter).ToHashSet(StringComparer.Ordinal);
                retainAsPublished = _subscriptions.Where(s => s.RetainAsPublished).Select(s => s.Filter).ToHashSet(StringComparer.Ordinal);
                // Only where every subscription of the filter wants it: one that needs our own messages still gets them.
                othersOnly = wanted.Where(f => _subscriptions.All(s => s.Filter != f || s.OthersOnly)).ToHashSet(StringComparer.Ordinal);
                added = wanted.Where(f => !_brokerFilters.ContainsKey(f)).ToList();
                removed = _brokerFilters.Keys.Where(f => !wanted.Contains(f)).ToList();
            }
            if (!_client.IsConnected) return;

            var identifiers = _client.Options.ProtocolVersion == MqttProtocolVersion.V500;
            foreach (var filter in added)
            {
                // One SUBSCRIBE per filter: an identifier belongs to a whole SUBSCRIBE packet.
                var id = ++_lastSubscriptionId;
                var subscribe = new MqttClientSubscribeOptionsBuilder().WithTopicFilter(new MqttTopicFilterBuilder()
                    .WithTopic(filter)
                    .WithAtLeastOnceQoS()
                    .WithRetainAsPublished(identifiers && retainAsPublished.Contains(filter))
                    .WithNoLocal(identifiers && othersOnly.Contains(filter))
                    .Build());
                if (identifiers) subscribe.WithSubscriptionIdentifier(id);
                // Registered first: retained messages may arrive before the SUBACK.
                lock (_lock) _brokerFilters[filter] = id;
                await _client.SubscribeAsync(subscribe.Build(), ct);
            }

            if (removed.Count > 0)
            {
                var unsubscribe = new MqttClientUnsubscribeOptionsBuilder();
                foreach (var filter in removed) unsubscribe.WithTopicFilter(filter);
                await _client.UnsubscribeAsync(unsubscribe.Build(), ct);
                lock (_lock) foreach (var filter in removed) _brokerFilters.Remove(filter);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The next reconnect subscribes afresh.
            _log.LogWarning("MQTT subscribe failed ({Error}); retried after reconnect", ex.Message);
        }
        catch (OperationCanceledException) { }
        finally
        {
            _subscribeGate.Release();
        }
    }

    /// <summary>The only writer to the client, so publishes leave in the order they were made.</summary>
    private async Task PumpAsync(CancellationToken ct)
    {
        await foreach (var item in _outbox.Reader.ReadAllAsync(CancellationToken.None))
        {
            // While offline, retained values wait in the replay set; non-retained messages are dropped.
            if (!_client.IsConnected) continue;
            try
            {
                if (!item.IsReplay)
                {
                    if (item.Retain && (item.Epoch != Volatile.Read(ref _epoch) || Superseded(item))) continue;
                    await SendAsync(item.Topic, item.Payload, item.Retain, ct);
                    if (item.Retain) ForgetDelivered(item);
                    continue;
                }
                await SendAsync(_statusTopic, BridgeStatus.Online, retain: true, ct);
                // Only what was queued before this connect: what was queued since carries this epoch and goes out in
                // its own order (e.g. what the new subscriptions' retained messages make us publish).
                Outgoing[] snapshot;
                lock (_lock) snapshot = [.. _retained.Values.Where(retained => retained.Epoch < item.Epoch).OrderBy(retained => retained.Order)];
                foreach (var retained in snapshot)
                {
                    await SendAsync(retained.Topic, retained.Payload, retain: true, ct);
                    ForgetDelivered(retained);
                }
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                _log.LogDebug("MQTT publish to {Topic} failed ({Error})", item.Topic, ex.Message);
            }
            catch (OperationCanceledException) { }
        }
    }

    /// <summary>
    /// A retained value with a newer one for its topic queued behind it (or already sent by a replay): only the
    /// latest is sent. When values change faster than the broker acknowledges them (a meter reading per station
    /// many times a second), the topic's retained value is the same in the end, and the pump does not fall ever
    /// further behind.
    /// </summary>
    private bool Superseded(Outgoing item)
    {
        lock (_lock)
            return !_retained.TryGetValue(item.Topic, out var latest) || !ReferenceEquals(latest, item);
    }

    /// <summary>
    /// A clear the broker has taken is done; with the embedded broker a retained value it has taken is its to keep
    /// (unless a newer one waits). An external broker's values are kept for the replay: it may restart without them.
    /// </summary>
    private void ForgetDelivered(Outgoing item)
    {
        if (!_brokerKeepsRetained && item.Payload.Length > 0) return;
        lock (_lock)
            if (_retained.TryGetValue(item.Topic, out var waiting) && ReferenceEquals(waiting, item)) _retained.Remove(item.Topic);
    }

    private Task SendAsync(string topic, string payload, bool retain, CancellationToken ct)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        // In process, a publish costs no serialising, TCP or round trip; the broker treats it as our client's own.
        if (_embeddedBroker is not null) return _embeddedBroker.PublishFromBridgeAsync(message, ct);
        return _client.PublishAsync(message, ct);
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = new InboundMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString() ?? "", e.ApplicationMessage.Retain);
        var ids = e.ApplicationMessage.SubscriptionIdentifiers;
        Subscription[] targets;
        lock (_lock)
        {
            targets = ids is { Count: > 0 }
                // This copy belongs to exactly the subscriptions named in it.
                ? _subscriptions.Where(s => _brokerFilters.TryGetValue(s.Filter, out var id) && ids.Contains(id)).ToArray()
                // A broker without identifiers (MQTT 3.1.1): match by topic.
                : _subscriptions.Where(s => TopicFilter.Matches(s.Filter, message.Topic)).ToArray();
        }
        foreach (var target in targets)
        {
            try { target.OnMessage(message); }
            catch (Exception ex) { _log.LogError(ex, "MQTT handler for {Filter} failed on {Topic}", target.Filter, message.Topic); }
        }
        return Task.CompletedTask;
    }

    /// <summary>Publishes what is still queued, then <c>offline</c>, then disconnects cleanly.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        _outbox.Writer.TryComplete();
        if (_pump is not null) await _pump.WaitAsync(ct);
        await _stop.CancelAsync();
        if (_connectLoop is not null)
        {
            // Stopping cancels whatever the loop was doing (connecting, subscribing); how it ended does not matter now.
            try { await _connectLoop.WaitAsync(ct); }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                _log.LogDebug("MQTT connection loop ended while stopping ({Error})", ex.Message);
            }
        }
        if (!_client.IsConnected) return;
        try
        {
            await SendAsync(_statusTopic, BridgeStatus.Offline, retain: true, ct);
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _log.LogDebug("MQTT clean disconnect failed ({Error})", ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await StopAsync(timeout.Token); }
            catch (OperationCanceledException) { }
        }
        _client.Dispose();
        _stop.Dispose();
        _subscribeGate.Dispose();
    }

    private string Describe() => _clientOptions.ChannelOptions switch
    {
        MQTTnet.MqttClientTcpOptions { RemoteEndpoint: System.Net.DnsEndPoint d } => $"{d.Host}:{d.Port}",
        MQTTnet.MqttClientTcpOptions { RemoteEndpoint: { } e } => e.ToString() ?? "broker",
        var other => other?.ToString() ?? "broker",
    };

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Outgoing(string Topic, string Payload, bool Retain, int Epoch, long Order, bool IsReplay = false)
    {
        public static Outgoing Replay(int epoch) => new("", "", false, epoch, 0, IsReplay: true);
    }

    // A class, not a record: two identical subscriptions must stay two entries.
    private sealed class Subscription(string filter, Action<InboundMessage> onMessage, bool retainAsPublished, bool othersOnly, MqttConnection owner) : IDisposable
    {
        public string Filter { get; } = filter;
        public bool RetainAsPublished { get; } = retainAsPublished;
        public bool OthersOnly { get; } = othersOnly;
        public Action<InboundMessage> OnMessage { get; } = onMessage;
        public void Dispose() => owner.Unsubscribe(this);
    }
}

namespace BmwWallbox.Core;

/// <summary>
/// A broker-less <see cref="IMessageBus"/>: delivers synchronously to matching subscribers and keeps
/// retained messages. Used by <c>simulate</c> and by tests of layers above MQTT.
/// </summary>
public sealed class InMemoryMessageBus(TopicLayout? topics = null) : IMessageBus
{
    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly Dictionary<string, string> _retained = new(StringComparer.Ordinal);

    public TopicLayout Topics { get; } = topics ?? new(TopicLayout.DefaultBase);

    public IReadOnlyDictionary<string, string> Retained
    {
        get { lock (_lock) return new Dictionary<string, string>(_retained); }
    }

    public Task PublishAsync(string topic, string payload, bool retain = false, CancellationToken ct = default)
    {
        Subscription[] targets;
        lock (_lock)
        {
            if (retain) _retained[topic] = payload;
            targets = _subscriptions.Where(s => TopicFilter.Matches(s.Filter, topic)).ToArray();
        }
        foreach (var s in targets) s.OnMessage(topic, payload);
        return Task.CompletedTask;
    }

    public IDisposable Subscribe(string topicFilter, Action<string, string> onMessage)
    {
        if (!TopicFilter.IsValid(topicFilter))
            throw new ArgumentException($"Invalid MQTT topic filter '{topicFilter}'", nameof(topicFilter));
        var subscription = new Subscription(topicFilter, onMessage, this);
        KeyValuePair<string, string>[] retained;
        lock (_lock)
        {
            _subscriptions.Add(subscription);
            retained = _retained.Where(r => TopicFilter.Matches(topicFilter, r.Key)).ToArray();
        }
        foreach (var (topic, payload) in retained) onMessage(topic, payload);
        return subscription;
    }

    private sealed record Subscription(string Filter, Action<string, string> OnMessage, InMemoryMessageBus Bus) : IDisposable
    {
        public void Dispose()
        {
            lock (Bus._lock) Bus._subscriptions.Remove(this);
        }
    }
}

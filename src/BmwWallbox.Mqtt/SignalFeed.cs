using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Mqtt;

/// <summary>
/// Feeds the configured <c>signals:</c> from MQTT into the <see cref="SignalStore"/>, and is the
/// <see cref="ISignals"/> rules read: the store handles staleness, this class adds "the source
/// says it has no value" (HA's unavailable/unknown, JSON null), which the store cannot express.
/// A payload that does not parse never becomes a value: it is counted and warned about once.
/// </summary>
internal sealed class SignalFeed : ISignals
{
    private readonly SignalStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly IReadOnlyList<Binding> _bindings;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _unavailableSince = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _subscriptions = [];

    public SignalFeed(IReadOnlyDictionary<string, SignalOptions> signals, SignalStore store, TimeProvider time, ILogger log)
    {
        _store = store;
        _time = time;
        _log = log;
        _bindings = signals.Select(s => Bind(s.Key, s.Value)).ToList();
        foreach (var binding in _bindings)
        {
            if (!store.IsKnown(binding.Name))
                throw new ArgumentException($"Signal '{binding.Name}' is configured but the signal store does not know it");
        }
        _store.Changed += reading =>
        {
            if (!IsUnavailable(reading.Name)) Changed?.Invoke(reading);
        };
    }

    public event Action<SignalReading>? Changed;

    public IReadOnlyCollection<string> Names => _store.Names;

    public bool IsKnown(string name) => _store.IsKnown(name);

    public SignalReading Get(string name)
    {
        var reading = _store.Get(name);
        lock (_lock)
        {
            return _unavailableSince.TryGetValue(name, out var since)
                ? reading with { Value = null, UpdatedAt = since, Stale = false }
                : reading;
        }
    }

    /// <summary>How many payloads of this signal were rejected (for doctor and tests).</summary>
    public long RejectedCount(string name) => Interlocked.Read(ref _bindings.Single(b => b.Name == name).Rejected);

    public IReadOnlyDictionary<string, long> RejectedCounts => _bindings.ToDictionary(b => b.Name, b => Interlocked.Read(ref b.Rejected));

    /// <summary>The definitions a store for these signals needs (name + stale_after).</summary>
    public static IEnumerable<SignalDefinition> Definitions(IReadOnlyDictionary<string, SignalOptions> signals)
        => signals.Select(s => new SignalDefinition(s.Key, s.Value.StaleAfter));

    public void Attach(MqttConnection connection)
    {
        // Several signals may read different fields of one topic (e.g. a Tasmota SENSOR message).
        foreach (var topic in _bindings.GroupBy(b => b.Topic))
        {
            var bindings = topic.ToArray();
            _subscriptions.Add(connection.Subscribe(topic.Key, message =>
            {
                foreach (var binding in bindings) Accept(binding, message.Payload);
            }));
        }
    }

    public void Detach()
    {
        foreach (var subscription in _subscriptions) subscription.Dispose();
        _subscriptions.Clear();
    }

    internal void Accept(Binding binding, string payload)
    {
        var parsed = SignalPayload.Parse(payload, binding.Path, binding.Scale);
        switch (parsed.Kind)
        {
            case SignalPayloadKind.Value:
                lock (_lock) _unavailableSince.Remove(binding.Name);
                _store.Set(binding.Name, parsed.Value);
                break;
            case SignalPayloadKind.Unavailable:
                MarkUnavailable(binding.Name);
                break;
            default:
                // The last good value stays (and goes stale on its own); garbage never becomes a zero.
                var count = Interlocked.Increment(ref binding.Rejected);
                if (count == 1)
                    _log.LogWarning("Signal {Signal}: ignoring payload on {Topic}: {Error} (further bad payloads of this signal are only counted)",
                        binding.Name, binding.Topic, parsed.Error);
                else
                    _log.LogDebug("Signal {Signal}: ignoring payload #{Count} on {Topic}: {Error}", binding.Name, count, binding.Topic, parsed.Error);
                break;
        }
    }

    private void MarkUnavailable(string name)
    {
        lock (_lock)
        {
            if (_unavailableSince.ContainsKey(name)) return;
            _unavailableSince[name] = _time.GetUtcNow();
        }
        Changed?.Invoke(Get(name));
    }

    private bool IsUnavailable(string name)
    {
        lock (_lock) return _unavailableSince.ContainsKey(name);
    }

    /// <summary>The options are already checked (<see cref="MqttBridge"/>'s constructor refuses <see cref="SignalOptions.Problems"/>).</summary>
    private static Binding Bind(string name, SignalOptions options)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A signal needs a name");
        return new Binding(name, options.Topic, options.Json is { } json ? JsonPath.Parse(json) : null, options.Scale);
    }

    internal sealed class Binding(string name, string topic, JsonPath? path, double scale)
    {
        public string Name { get; } = name;
        public string Topic { get; } = topic;
        public JsonPath? Path { get; } = path;
        public double Scale { get; } = scale;
        public long Rejected;
    }
}

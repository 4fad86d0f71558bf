using System.Collections.Concurrent;

namespace BmwWallbox.Mqtt;

/// <summary>
/// Upgrading from the per-entity discovery of older versions (one retained config per entity,
/// <c>&lt;prefix&gt;/&lt;component&gt;/bmw_rules_&lt;station&gt;/&lt;key&gt;/config</c>) to one device config per station:
/// a broker that keeps retained messages (an external one) still holds the old configs, and Home
/// Assistant would keep both. Watches for them (the broker hands them over as retained messages on
/// subscribing, so nothing is sent when there are none, as with the embedded broker) and has each
/// station's entities migrated and the old topics cleared, once per station and run.
/// </summary>
internal sealed class LegacyDiscoveryMigration(MqttOptions options, StatePublisher state, Action<string, string> publishOnce)
{
    private static readonly HashSet<(string Platform, string Key)> Legacy = [.. HomeAssistantDiscovery.LegacyEntities];
    private readonly ConcurrentDictionary<string, bool> _migrated = new(StringComparer.Ordinal);

    // A wildcard takes a whole level: other applications' per-entity configs match too, and are told apart by the node.
    public string Filter => $"{options.DiscoveryPrefix}/+/+/+/config";

    // Our own last-session configs match the filter too: not sent back to us (30,000 echoes at 10,000 stations).
    public IDisposable Attach(MqttConnection connection) => connection.Subscribe(Filter, OnMessage, othersOnly: true);

    internal void OnMessage(InboundMessage message)
    {
        // Our own clearing and migration notices come back live (not retained) or empty: only a kept old config counts.
        if (!message.Retained || message.Payload.Length == 0) return;
        var levels = message.Topic[(options.DiscoveryPrefix.Length + 1)..].Split('/');
        if (levels is not [var platform, var node, var key, "config"]
            || !node.StartsWith(HomeAssistantDiscovery.NodePrefix, StringComparison.Ordinal) || !Legacy.Contains((platform, key))) return;
        if (_migrated.TryAdd(node, true)) state.MigrateLegacyDiscovery(node, publishOnce);
    }
}

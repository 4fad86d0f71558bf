namespace BmwWallbox.Core;

/// <summary>
/// Publish/subscribe as the rules see it. Implemented by the MQTT adapter; an in-memory bus
/// stands in for it in <c>simulate</c>.
/// </summary>
public interface IMessageBus
{
    /// <summary>The topics under mqtt.base_topic (traces, station commands).</summary>
    TopicLayout Topics { get; }

    Task PublishAsync(string topic, string payload, bool retain = false, CancellationToken ct = default);

    /// <summary>Subscribe to an MQTT topic filter (+ and # wildcards). Dispose to unsubscribe. The handler must not block.</summary>
    IDisposable Subscribe(string topicFilter, Action<string, string> onMessage);
}

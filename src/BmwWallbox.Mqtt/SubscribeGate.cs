using System.Collections;
using MQTTnet.Packets;
using MQTTnet.Server;

namespace BmwWallbox.Mqtt;

/// <summary>
/// Keeps the bridge's publishes out of a client's SUBSCRIBE while MQTTnet processes it. MQTTnet's broker takes
/// its copy of the retained messages first and puts the new subscription in place after: a retained message
/// published in between is in neither, and the client never gets it (seen as a hub missing <c>status online</c>,
/// sent just as it subscribed). The gate is taken when the SUBSCRIBE arrives and given back once the
/// subscription is in place (MQTTnet's "client subscribed" event), which needs nothing from the client; should
/// a SUBSCRIBE end without one, at the client's next packet or when it disconnects. Sending is not involved, so
/// a client that stops reading cannot hold it. Publishes by other clients are not gated (MQTTnet has no event after a
/// publish is delivered).
/// </summary>
internal sealed class SubscribeGate
{
    // Never disposed: it has no wait handle to free, and an event of a stopping broker may still give it back.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _lock = new();
    // The session of the client whose SUBSCRIBE holds the gate (under _lock); a session's items identify it.
    private IDictionary? _holder;

    public void Attach(MqttServer server)
    {
        server.InterceptingInboundPacketAsync += OnInboundPacketAsync;
        server.ClientSubscribedTopicAsync += e => ReleaseHeldBy(e.SessionItems);
        server.ClientDisconnectedAsync += e => ReleaseHeldBy(e.SessionItems);
    }

    /// <summary>Waits until no SUBSCRIBE is in progress; call <see cref="Release"/> once the publish is handed over.</summary>
    public Task WaitAsync(CancellationToken ct) => _gate.WaitAsync(ct);

    public void Release() => _gate.Release();

    private async Task OnInboundPacketAsync(InterceptingPacketEventArgs e)
    {
        await ReleaseHeldBy(e.SessionItems); // its SUBSCRIBE before this ended without a subscription
        // MQTTnet skips an empty filter: a SUBSCRIBE of only those subscribes nothing, and must not hold the gate.
        if (e.Packet is not MqttSubscribePacket subscribe || subscribe.TopicFilters.TrueForAll(f => string.IsNullOrEmpty(f.Topic))) return;
        await _gate.WaitAsync(e.CancellationToken);
        lock (_lock) _holder = e.SessionItems;
    }

    private Task ReleaseHeldBy(IDictionary sessionItems)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_holder, sessionItems)) return Task.CompletedTask;
            _holder = null;
        }
        _gate.Release();
        return Task.CompletedTask;
    }
}

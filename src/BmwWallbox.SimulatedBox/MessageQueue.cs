using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// Station→CSMS messages waiting for delivery, in order. TransactionEvents survive a lost session and
/// go out again marked offline (QueueAllMessages); with quirk 12 the last delivered ones are sent
/// once more after a reconnect, so the CSMS has to deduplicate them.
/// </summary>
internal sealed class MessageQueue
{
    /// <summary>How many delivered TransactionEvents quirk 12 replays.</summary>
    private const int ReplayWindow = 2;
    private readonly LinkedList<Outgoing> _waiting = new();
    private readonly Queue<JsonObject> _lastDelivered = new();

    public int Count => _waiting.Count;
    public bool IsEmpty => _waiting.First is null;
    public bool HasTransactionEvents => _waiting.Any(m => m.IsTransactionEvent);

    public bool Contains(string action) => _waiting.Any(m => m.Action == action);

    public void Add(Outgoing message) => _waiting.AddLast(message);

    /// <summary>Puts messages at the head, in the given order, ahead of everything queued.</summary>
    public void AddFirst(IReadOnlyList<Outgoing> messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--) _waiting.AddFirst(messages[i]);
    }

    public Outgoing Take()
    {
        var message = _waiting.First!.Value;
        _waiting.RemoveFirst();
        return message;
    }

    /// <summary>A TransactionEvent whose delivery failed goes back to the head of the queue, marked offline.</summary>
    public void Requeue(Outgoing message)
    {
        if (!message.IsTransactionEvent) return;
        _waiting.AddFirst(message with { Payload = Offline(message.Payload) });
    }

    /// <summary>The session is gone: only TransactionEvents are kept; a fresh StatusNotification follows the reconnect.</summary>
    public void DropAllButTransactionEvents()
    {
        for (var node = _waiting.First; node is not null;)
        {
            var next = node.Next;
            if (!node.Value.IsTransactionEvent) _waiting.Remove(node);
            node = next;
        }
    }

    /// <summary>The CSMS answered this message; quirk 12 remembers the last TransactionEvents.</summary>
    public void Delivered(Outgoing message)
    {
        if (!message.IsTransactionEvent) return;
        if (_lastDelivered.Count == ReplayWindow) _lastDelivered.Dequeue();
        _lastDelivered.Enqueue(message.Payload);
    }

    /// <summary>Quirk 12: copies of the last delivered TransactionEvents, marked offline, to send again.</summary>
    public List<Outgoing> TakeReplay()
    {
        var replay = _lastDelivered.Select(delivered => new Outgoing("TransactionEvent", Offline(delivered))).ToList();
        _lastDelivered.Clear();
        return replay;
    }

    private static JsonObject Offline(JsonObject payload)
    {
        var copy = (JsonObject)payload.DeepClone();
        copy["offline"] = true;
        return copy;
    }
}

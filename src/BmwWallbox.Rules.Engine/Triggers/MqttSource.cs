using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Rules.Engine.Runtime;

namespace BmwWallbox.Rules.Engine.Triggers;

/// <summary>
/// mqtt: — fires on messages matching the topic filter (and payload:, if set) that arrive after the rule
/// was loaded. Retained messages handed over during the subscription itself are not fired on, so a reload
/// does not replay them.
/// </summary>
internal sealed class MqttSource(MqttTrigger trigger, RuleScope scope) : ITriggerSource
{
    private IDisposable? _subscription;
    private bool _live;

    public void Start(Action<TriggerFired> fire)
    {
        _subscription = scope.Bus.Subscribe(trigger.Topic, (topic, payload) =>
        {
            if (!Volatile.Read(ref _live) || (trigger.Payload is { } wanted && wanted != payload)) return;
            fire(TriggerFired.Of("mqtt", trigger.Describe(), ("topic", topic), ("payload", payload)));
        });
        Volatile.Write(ref _live, true);
    }

    public void Dispose()
    {
        Volatile.Write(ref _live, false);
        _subscription?.Dispose();
    }
}

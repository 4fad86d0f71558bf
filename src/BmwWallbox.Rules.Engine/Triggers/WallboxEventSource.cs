using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Rules.Engine.Runtime;

namespace BmwWallbox.Rules.Engine.Triggers;

/// <summary>Fires on one kind of wallbox event of the rule's station.</summary>
internal sealed class WallboxEventSource(WallboxEventTrigger trigger, RuleScope scope) : ITriggerSource
{
    private Action<TriggerFired>? _fire;

    public void Start(Action<TriggerFired> fire)
    {
        _fire = fire;
        scope.Wallboxes.Changed += OnChanged;
    }

    private void OnChanged(WallboxEvent e)
    {
        if (e.Kind != trigger.Kind || e.State.StationId != scope.Controller?.StationId) return;
        _fire?.Invoke(TriggerFired.Of("event", trigger.Describe(),
            ("event", trigger.Name),
            ("station", e.State.Name),
            ("status", e.State.Status?.ToString()),
            ("chargingState", e.State.ChargingState?.ToString()),
            ("transactionId", e.State.Transaction?.Id)));
    }

    public void Dispose() => scope.Wallboxes.Changed -= OnChanged;
}

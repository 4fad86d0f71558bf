using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Rules.Engine.Runtime;

namespace BmwWallbox.Rules.Engine.Triggers;

/// <summary>Fires when a state field of the rule's station changes (from:/to:/for: via <see cref="ChangeDetector"/>).</summary>
internal sealed class WallboxStateSource(WallboxStateTrigger trigger, RuleScope scope) : ITriggerSource
{
    private readonly ChangeDetector _detector = new(trigger.From, trigger.To, trigger.For, scope.Time);
    private Action<TriggerFired>? _fire;

    public void Start(Action<TriggerFired> fire)
    {
        _fire = fire;
        _detector.Observe(scope.Read(trigger.Field).Display, Fire);
        scope.Wallboxes.Changed += OnChanged;
    }

    private void OnChanged(WallboxEvent e)
    {
        if (e.State.StationId != scope.Controller?.StationId) return;
        _detector.Observe(WallboxFields.Read(trigger.Field, e.State, scope.Controller.Control).Display, Fire);
    }

    private void Fire(string from, string to) =>
        _fire?.Invoke(TriggerFired.Of("wallbox", trigger.Describe(),
            ("field", WallboxFields.Name(trigger.Field)), ("from", from), ("to", to), ("station", scope.Controller?.Name)));

    public void Dispose()
    {
        scope.Wallboxes.Changed -= OnChanged;
        _detector.Dispose();
    }
}

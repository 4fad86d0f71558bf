using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Model;

namespace BmwWallbox.Rules.Engine.Triggers;

/// <summary>every: — a periodic timer on the injected clock, first firing one interval after start.</summary>
internal sealed class IntervalSource(IntervalTrigger trigger, TimeProvider time) : ITriggerSource
{
    private ITimer? _timer;

    public void Start(Action<TriggerFired> fire) =>
        _timer = time.CreateTimer(_ => fire(TriggerFired.Of("every", trigger.Describe(), ("every", Durations.Format(trigger.Every)))),
            null, trigger.Every, trigger.Every);

    public void Dispose() => _timer?.Dispose();
}

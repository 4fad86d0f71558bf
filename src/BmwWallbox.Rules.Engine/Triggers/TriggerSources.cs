using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Rules.Engine.Runtime;

namespace BmwWallbox.Rules.Engine.Triggers;

/// <summary>Trigger model → live trigger. Startup triggers have no source: the runtime fires them once at start.</summary>
internal static class TriggerSources
{
    public static ITriggerSource? Create(TriggerDefinition trigger, RuleScope scope) => trigger switch
    {
        SignalThresholdTrigger t => new SignalThresholdSource(t, scope.Signals, scope.Time),
        SignalChangeTrigger t => new SignalChangeSource(t, scope.Signals, scope.Time),
        WallboxStateTrigger t => new WallboxStateSource(t, scope),
        WallboxEventTrigger t => new WallboxEventSource(t, scope),
        ScheduleTrigger t => new ScheduleSource(t, scope),
        IntervalTrigger t => new IntervalSource(t, scope.Time),
        MqttTrigger t => new MqttSource(t, scope),
        _ => null,
    };
}

using System.Globalization;
using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Model;

namespace BmwWallbox.Rules.Engine.Triggers;

/// <summary>Fires when a signal's value or availability changes (from:/to:/for: via <see cref="ChangeDetector"/>).</summary>
internal sealed class SignalChangeSource(SignalChangeTrigger trigger, ISignals signals, TimeProvider time) : ITriggerSource
{
    private readonly ChangeDetector _detector = new(trigger.From, trigger.To, trigger.For, time);
    private Action<TriggerFired>? _fire;

    public void Start(Action<TriggerFired> fire)
    {
        _fire = fire;
        _detector.Observe(State(signals.Get(trigger.Signal)), Fire);
        signals.Changed += OnChanged;
    }

    private void OnChanged(SignalReading reading)
    {
        if (reading.Name == trigger.Signal) _detector.Observe(State(reading), Fire);
    }

    private static string State(SignalReading reading) =>
        reading.Available ? reading.Value!.Value.ToString(CultureInfo.InvariantCulture) : StateMatcher.Unavailable;

    private void Fire(string from, string to) =>
        _fire?.Invoke(TriggerFired.Of("signal", trigger.Describe(),
            ("signal", trigger.Signal), ("from", Number(from)), ("to", Number(to)), ("value", Number(to))));

    private static object Number(string state) =>
        double.TryParse(state, CultureInfo.InvariantCulture, out var n) ? n : state;

    public void Dispose()
    {
        signals.Changed -= OnChanged;
        _detector.Dispose();
    }
}

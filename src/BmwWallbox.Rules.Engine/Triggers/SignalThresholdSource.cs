using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Model;

namespace BmwWallbox.Rules.Engine.Triggers;

/// <summary>
/// Fires when a signal crosses into the band — on the crossing, not on every sample in it — and, with
/// <c>for:</c>, only once it stayed there that long. The value at start is the baseline (no firing when it
/// is already in the band). Unavailable samples cancel a pending <c>for:</c> and are otherwise ignored.
/// </summary>
internal sealed class SignalThresholdSource(SignalThresholdTrigger trigger, ISignals signals, TimeProvider time) : ITriggerSource
{
    private enum Side { Unknown, Outside, Pending, Inside }

    private readonly Lock _lock = new();
    private readonly HoldTimer _hold = new(time);
    private Action<TriggerFired>? _fire;
    private Side _side;

    public void Start(Action<TriggerFired> fire)
    {
        _fire = fire;
        lock (_lock)
        {
            var reading = signals.Get(trigger.Signal);
            _side = !reading.Available ? Side.Unknown : trigger.InBand(reading.Value!.Value) ? Side.Inside : Side.Outside;
        }
        signals.Changed += OnChanged;
    }

    private void OnChanged(SignalReading reading)
    {
        if (reading.Name != trigger.Signal) return;
        var fireNow = false;
        lock (_lock)
        {
            if (!reading.Available)
            {
                if (_side == Side.Pending) { _hold.Cancel(); _side = Side.Outside; }
                return;
            }
            var inBand = trigger.InBand(reading.Value!.Value);
            switch (_side)
            {
                case Side.Unknown:
                    _side = inBand ? Side.Inside : Side.Outside;
                    break;
                case Side.Outside when inBand:
                    if (trigger.For <= TimeSpan.Zero) { _side = Side.Inside; fireNow = true; }
                    else { _side = Side.Pending; _hold.Start(trigger.For, OnHeld); }
                    break;
                case Side.Pending or Side.Inside when !inBand:
                    _hold.Cancel();
                    _side = Side.Outside;
                    break;
            }
        }
        if (fireNow) Fire(reading.Value!.Value);
    }

    private void OnHeld(long generation)
    {
        lock (_lock)
        {
            if (!_hold.IsCurrent(generation) || _side != Side.Pending) return;
            _side = Side.Inside;
        }
        Fire(signals.Get(trigger.Signal).Value);
    }

    private void Fire(double? value) =>
        _fire?.Invoke(TriggerFired.Of("signal", trigger.Describe(),
            ("signal", trigger.Signal), ("value", value), ("above", trigger.Above), ("below", trigger.Below)));

    public void Dispose()
    {
        signals.Changed -= OnChanged;
        lock (_lock) _hold.Dispose();
    }
}

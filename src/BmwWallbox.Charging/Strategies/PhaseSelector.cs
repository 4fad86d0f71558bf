namespace BmwWallbox.Charging.Strategies;

/// <summary>
/// Which phase count a solar strategy charges on when the box can switch (1 or the installation's 3), as
/// evcc does it with the same delays: down to one phase once the surplus has stayed below the 3-phase
/// minimum power (less <see cref="ModeOptions.DisableThreshold"/>) for <see cref="ModeOptions.DisableDelay"/>,
/// up to three once it has covered the 3-phase minimum (plus <see cref="ModeOptions.EnableThreshold"/>) for
/// <see cref="ModeOptions.EnableDelay"/>. Each condition must hold the whole delay, so a surplus that wanders
/// around the 3-phase minimum does not make the car switch back and forth (the envelope caps switches on top).
/// </summary>
internal sealed class PhaseSelector(ModeOptions options, double minCurrent, PowerConversion installation)
{
    private DateTimeOffset? _downSince;
    private DateTimeOffset? _upSince;

    /// <summary>The phases charged on now.</summary>
    public int Phases { get; private set; } = installation.Phases;

    /// <summary>The installation allows switching (three phases).</summary>
    public bool Possible => installation.Phases == 3;

    public PowerConversion Power => installation.On(Phases);

    /// <summary>The minimum power on three phases, W.</summary>
    public double ThreePhaseMinW => installation.On(3).Watts(minCurrent);

    /// <summary>The minimum power on one phase, W.</summary>
    public double OnePhaseMinW => installation.On(1).Watts(minCurrent);

    public void Reset()
    {
        Phases = installation.Phases;
        _downSince = null;
        _upSince = null;
    }

    /// <summary>Start on the phases the surplus allows (after a pause, before any current flows; no delay needed).</summary>
    public void StartWith(double surplusW) => Phases = surplusW >= ThreePhaseMinW + options.EnableThreshold ? 3 : 1;

    /// <summary>The box cannot switch (or stopped switching): back to the installation's phases.</summary>
    public void Fixed()
    {
        Phases = installation.Phases;
        _downSince = null;
        _upSince = null;
    }

    /// <summary>While charging: switch when a condition has held its delay; returns when to look again (null: nothing pending).</summary>
    public DateTimeOffset? Follow(double? surplusW, DateTimeOffset now)
    {
        if (surplusW is not { } surplus)
        {
            _downSince = _upSince = null;
            return null;
        }
        if (Phases == 3)
        {
            _upSince = null;
            if (surplus >= ThreePhaseMinW - options.DisableThreshold)
            {
                _downSince = null;
                return null;
            }
            _downSince ??= now;
            var due = _downSince.Value + options.DisableDelay;
            if (now < due) return due;
            Phases = 1;
            _downSince = null;
            return null;
        }
        _downSince = null;
        if (surplus < ThreePhaseMinW + options.EnableThreshold)
        {
            _upSince = null;
            return null;
        }
        _upSince ??= now;
        var up = _upSince.Value + options.EnableDelay;
        if (now < up) return up;
        Phases = 3;
        _upSince = null;
        return null;
    }
}

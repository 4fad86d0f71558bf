namespace BmwWallbox.Charging.Strategies;

/// <summary>
/// Which phase count a solar strategy charges on when the box can switch (1 or the installation's 3). A switch
/// costs a cycle (the car stops, the contactors switch, the car starts again), so the selector switches when what
/// staying costs has added up, not when the surplus merely crosses a line:
/// <list type="bullet">
/// <item>up to three once the surplus beyond the 3-phase minimum power (plus <see cref="ModeOptions.EnableThreshold"/>)
/// has added up to <see cref="ModeOptions.PhaseUpEnergy"/> Wh (one phase leaves at least that much solar unused): a big
/// surplus switches up within a minute or two, one just above the 3-phase minimum only after many minutes, a passing
/// peak not at all;</item>
/// <item>down to one once the grid energy the 3-phase minimum forces (3-phase minimum power less
/// <see cref="ModeOptions.DisableThreshold"/> − surplus) has added up to <see cref="ModeOptions.PhaseDownEnergy"/> Wh:
/// a deep drop switches down within a minute (before the strategy would pause), a surplus just below the 3-phase
/// minimum rides on the minimum for a while.</item>
/// </list>
/// Each sum runs as a cumulative sum that drains while the opposite holds (a surplus above the 3-phase minimum
/// drains the grid sum, one below it drains the other), so a surplus that wanders around the
/// 3-phase minimum does not make the car switch back and forth. The envelope caps switches on top.
/// </summary>
internal sealed class PhaseSelector(ModeOptions options, double minCurrent, PowerConversion installation)
{
    /// <summary>Wh of surplus beyond the 3-phase minimum on one phase (switching up), and of grid energy three phases forced (switching down).</summary>
    private double _beyondWh, _forcedWh;
    /// <summary>The surplus last seen and since when (it holds until the next one).</summary>
    private double? _lastSurplusW;
    private DateTimeOffset _lastAt;

    /// <summary>The phases charged on now.</summary>
    public int Phases { get; private set; } = installation.Phases;

    /// <summary>The installation allows switching (three phases).</summary>
    public bool Possible => installation.Phases == 3;

    public PowerConversion Power => installation.On(Phases);

    /// <summary>The minimum power on three phases, W.</summary>
    public double ThreePhaseMinW => installation.On(3).Watts(minCurrent);

    /// <summary>The minimum power on one phase, W.</summary>
    public double OnePhaseMinW => installation.On(1).Watts(minCurrent);

    public void Reset() => Fixed();

    /// <summary>Start on the phases the surplus allows (after a pause, before any current flows; no delay needed).</summary>
    public void StartWith(double surplusW, DateTimeOffset now)
    {
        Phases = surplusW >= ThreePhaseMinW + options.EnableThreshold ? 3 : 1;
        Forget();
        (_lastSurplusW, _lastAt) = (surplusW, now);
    }

    /// <summary>The box cannot switch (or stopped switching): back to the installation's phases.</summary>
    public void Fixed()
    {
        Phases = installation.Phases;
        Forget();
    }

    /// <summary>While charging: switch when what staying costs has added up; returns when to look again (null: nothing pending).</summary>
    public DateTimeOffset? Follow(double? surplusW, DateTimeOffset now)
    {
        if (surplusW is not { } surplus)
        {
            Forget();
            return null;
        }
        if (_lastSurplusW is { } held && now > _lastAt) Add(held, (now - _lastAt).TotalHours);
        (_lastSurplusW, _lastAt) = (surplus, now);

        if (Phases == 3)
        {
            var forcedW = ThreePhaseMinW - options.DisableThreshold - surplus;
            if (forcedW <= 0) return null;
            if (_forcedWh < options.PhaseDownEnergy) return Due(now, options.PhaseDownEnergy - _forcedWh, forcedW);
            Phases = 1;
            Forget();
            (_lastSurplusW, _lastAt) = (surplus, now);
            return null;
        }
        var beyondW = surplus - ThreePhaseMinW - options.EnableThreshold;
        if (beyondW <= 0) return null;
        if (_beyondWh < options.PhaseUpEnergy) return Due(now, options.PhaseUpEnergy - _beyondWh, beyondW);
        Phases = 3;
        Forget();
        (_lastSurplusW, _lastAt) = (surplus, now);
        return null;
    }

    /// <summary>The sums over <paramref name="hours"/> at <paramref name="surplusW"/> (the surplus held since the last look).</summary>
    private void Add(double surplusW, double hours)
    {
        _beyondWh = Math.Max(0, _beyondWh + (surplusW - ThreePhaseMinW - options.EnableThreshold) * hours);
        _forcedWh = Math.Max(0, _forcedWh + (ThreePhaseMinW - options.DisableThreshold - surplusW) * hours);
    }

    /// <summary>When <paramref name="missingWh"/> more add up at <paramref name="perHourW"/> (a second at least, so a timer is worth setting).</summary>
    private static DateTimeOffset Due(DateTimeOffset now, double missingWh, double perHourW)
        => now + TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(missingWh / perHourW * 3600)));

    private void Forget()
    {
        _beyondWh = _forcedWh = 0;
        _lastSurplusW = null;
    }
}

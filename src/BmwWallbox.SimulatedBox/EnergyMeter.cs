namespace BmwWallbox.SimulatedBox;

/// <summary>
/// The car on the cable and the box's energy register. The current is constant between state
/// changes, so energy is integrated lazily: every change first books what was drawn since the last.
/// </summary>
internal sealed class EnergyMeter(SimulatedBoxOptions options, DateTimeOffset start)
{
    public const double Epsilon = 1e-9;
    private DateTimeOffset _integratedUntil = start;

    public SimulatedCar? Car { get; private set; }
    public double SocPercent { get; private set; }
    /// <summary>The car stopped drawing on its own (SuspendedEV).</summary>
    public bool CarSuspended { get; set; }
    /// <summary>The cumulative Energy.Active.Import.Register, up to the last integration.</summary>
    public double EnergyWh { get; private set; } = options.InitialEnergyWh;
    /// <summary>The current the car draws per phase, in A.</summary>
    public double CurrentA { get; private set; }
    public int CurrentPhases { get; private set; }
    public double PowerW => CurrentA * options.VoltageV * CurrentPhases;
    public bool CarFull => Car is { } car && SocPercent >= car.TargetSocPercent - Epsilon;

    public void PlugIn(SimulatedCar car)
    {
        Car = car;
        SocPercent = car.StartSocPercent;
        CarSuspended = false;
    }

    public void Unplug() => Car = null;

    /// <summary>From now on the car draws <paramref name="amps"/> on <paramref name="phases"/> phases (integrate first).</summary>
    public void Draw(double amps, int phases)
    {
        CurrentA = amps;
        CurrentPhases = phases;
    }

    /// <summary>Adds the energy drawn since the last integration at the (constant) current since then.</summary>
    public void Integrate(DateTimeOffset at)
    {
        var hours = (at - _integratedUntil).TotalHours;
        if (hours <= 0) return;
        _integratedUntil = at;
        if (CurrentA <= 0 || Car is not { } car) return;
        var wh = CurrentA * options.VoltageV * CurrentPhases * hours;
        var capacityWh = car.BatteryKWh * 1000;
        var remainingWh = Math.Max(0, (car.TargetSocPercent - SocPercent) / 100 * capacityWh);
        if (wh >= remainingWh - Epsilon)
        {
            wh = remainingWh;
            SocPercent = car.TargetSocPercent;
        }
        else SocPercent += wh / capacityWh * 100;
        EnergyWh += wh;
    }

    /// <summary>Energy the car still wants, in Wh (negative when it is past its target).</summary>
    public double WantedWh(SimulatedCar car) => (car.TargetSocPercent - SocPercent) / 100 * car.BatteryKWh * 1000;

    /// <summary>When the car reaches its target at the present draw; null when it draws nothing.</summary>
    public DateTimeOffset? FullAt(DateTimeOffset at) =>
        CurrentA > 0 && Car is { } car
            ? at.AddHours(WantedWh(car) / (CurrentA * options.VoltageV * CurrentPhases))
            : null;
}

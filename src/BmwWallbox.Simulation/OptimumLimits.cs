namespace BmwWallbox.Simulation;

/// <summary>
/// What bounds any charging schedule of the run's car: the least power it charges at once it charges
/// (the 6 A minimum), the most it takes, and the energy one plug-in session can take (from the arrival
/// state of charge to the car's target, as the box meters it). On a box that switches phases the least
/// power is the minimum current on one phase.
/// </summary>
/// <param name="FixedPhasesMinPowerW">On a box that switches phases: the least power on all the installation's phases
/// (what a schedule that never switches must draw); null otherwise.</param>
public readonly record struct OptimumLimits(double MinPowerW, double MaxPowerW, double SessionNeedWh, double? FixedPhasesMinPowerW = null)
{
    /// <summary>
    /// The powers the box can actually set, one range per phase count: the current in 0.1 A steps (what the box takes)
    /// between the minimum and the maximum. Null: any power between <see cref="MinPowerW"/> and <see cref="MaxPowerW"/>.
    /// </summary>
    public IReadOnlyList<PowerRange>? Ranges { get; init; }

    /// <summary>The same for a schedule that never leaves the installation's phases (a box that switches); null: continuous from <see cref="FixedPhasesMinPowerW"/>.</summary>
    public IReadOnlyList<PowerRange>? FixedPhasesRanges { get; init; }

    public static OptimumLimits Of(SimulationSetup setup)
    {
        var hardware = setup.Hardware;
        var phases = Math.Min(setup.Car.Phases, hardware.Phases);
        var volts = hardware.Voltage;
        var maxAmps = Math.Min(Math.Min(setup.Car.MaxCurrent, hardware.MaxCurrent), setup.Wallbox.MaxCurrent);
        var minAmps = Math.Max(CarModel.MinChargeCurrent, setup.Wallbox.MinCurrent);
        var car = setup.Car;
        // The box's car has a battery of BatteryKwh / efficiency (see SimulationRunner): what it meters to reach the target.
        var needWh = Math.Max(0, car.TargetSoc - car.StartSoc) / 100 * car.BatteryKwh / car.ChargeEfficiency * 1000;
        var minPhases = Math.Min(phases, hardware.MinPhases);
        var top = Math.Max(minAmps, maxAmps);
        PowerRange On(int p) => new(volts * p, minAmps, top, PowerRange.BoxStepAmps);
        IReadOnlyList<PowerRange> all = minPhases < phases ? [On(minPhases), On(phases)] : [On(phases)];
        return new OptimumLimits(minAmps * volts * minPhases, top * volts * phases, needWh,
            minPhases < phases ? minAmps * volts * phases : null)
        {
            Ranges = all,
            FixedPhasesRanges = minPhases < phases ? [On(phases)] : null,
        };
    }
}

/// <summary>The powers a box can set on one phase count: <paramref name="MinAmps"/> to <paramref name="MaxAmps"/> in steps of <paramref name="StepAmps"/> (0: any), at <paramref name="WattsPerAmp"/> (V × phases).</summary>
public readonly record struct PowerRange(double WattsPerAmp, double MinAmps, double MaxAmps, double StepAmps)
{
    /// <summary>The box takes one decimal (OCPP limit; Charging's SafetyEnvelope rounds to it).</summary>
    public const double BoxStepAmps = 0.1;

    /// <summary>The most power this range sets at or below <paramref name="watts"/>; null when even its minimum is above.</summary>
    public double? AtOrBelow(double watts)
    {
        var amps = Math.Min(MaxAmps, StepAmps > 0 ? Math.Floor(watts / WattsPerAmp / StepAmps + 1e-9) * StepAmps : watts / WattsPerAmp);
        return amps >= MinAmps - 1e-9 ? amps * WattsPerAmp : null;
    }

    /// <summary>The least power this range sets at or above <paramref name="watts"/>; null when even its maximum is below.</summary>
    public double? AtOrAbove(double watts)
    {
        var amps = Math.Max(MinAmps, StepAmps > 0 ? Math.Ceiling(watts / WattsPerAmp / StepAmps - 1e-9) * StepAmps : watts / WattsPerAmp);
        return amps <= MaxAmps + 1e-9 ? amps * WattsPerAmp : null;
    }
}

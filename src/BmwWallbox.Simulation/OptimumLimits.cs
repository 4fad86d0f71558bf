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
        return new OptimumLimits(minAmps * volts * minPhases, Math.Max(minAmps, maxAmps) * volts * phases, needWh,
            minPhases < phases ? minAmps * volts * phases : null);
    }
}

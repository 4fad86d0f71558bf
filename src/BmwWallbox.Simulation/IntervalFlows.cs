namespace BmwWallbox.Simulation;

/// <summary>
/// Adds up a step's flows interval by interval, each interval at the car power that actually flowed in it, and gives
/// their average over the step (<see cref="StepFlows"/>).
/// </summary>
public struct IntervalFlows
{
    private double _carFromSolarWh, _importWh, _exportWh;

    /// <summary>How many intervals were added.</summary>
    public int Count { get; private set; }

    /// <summary>An interval of <paramref name="hours"/> during which <paramref name="power"/> held.</summary>
    public void Add(in PowerBalance power, double hours)
    {
        _carFromSolarWh += power.CarFromSolarW * hours;
        _importWh += power.ImportW * hours;
        _exportWh += power.ExportW * hours;
        Count++;
    }

    /// <summary>The average over a step of <paramref name="hours"/> in which the car drew <paramref name="carW"/> on average.</summary>
    public readonly StepFlows Average(double carW, double hours) =>
        new(carW, _carFromSolarWh / hours, _importWh / hours, _exportWh / hours);
}

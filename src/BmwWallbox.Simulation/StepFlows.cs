namespace BmwWallbox.Simulation;

/// <summary>
/// The average flows of one step (W) as the summary and the timeline count them: the car's power, the part of it the
/// solar surplus covered, and the grid import and export. Inside a sample the car's power can change (a start, a pause,
/// a new limit) while solar and house hold, so each interval of constant car power is split into solar and grid on its
/// own (<see cref="IntervalFlows"/>): the car's average taken against the surplus would count a minute at 11 kW in a
/// 5-minute sample with 3 kW of surplus as all solar. The optimum counts on the same basis (<see cref="OptimumBuilder"/>).
/// </summary>
public readonly record struct StepFlows(double CarW, double CarFromSolarW, double ImportW, double ExportW)
{
    /// <summary>The flows of a step during which <paramref name="power"/> held throughout.</summary>
    public static StepFlows Of(in PowerBalance power) => new(power.CarW, power.CarFromSolarW, power.ImportW, power.ExportW);

    /// <summary>
    /// The energy of the step. Costs need a price (per kWh, in the price signal's currency); export revenue is
    /// deliberately not counted (feed-in tariffs vary).
    /// </summary>
    public EnergyStep Over(TimeSpan duration, double? pricePerKwh)
    {
        var hours = duration.TotalHours;
        var import = ImportW * hours / 1000;
        var carFromGrid = (CarW - CarFromSolarW) * hours / 1000;
        return new EnergyStep(
            CarKwh: CarW * hours / 1000,
            CarFromSolarKwh: CarFromSolarW * hours / 1000,
            ImportKwh: import,
            ExportKwh: ExportW * hours / 1000,
            ImportCost: import * pricePerKwh,
            CarCost: carFromGrid * pricePerKwh);
    }
}

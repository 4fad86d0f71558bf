namespace BmwWallbox.Simulation;

/// <summary>
/// The household's power flows at one moment (W). Grid is what the meter sees:
/// grid = house + car − solar, positive = import, negative = export.
/// </summary>
public readonly record struct PowerBalance(double SolarW, double HouseW, double CarW)
{
    public double GridW => HouseW + CarW - SolarW;
    public double ImportW => Math.Max(0, GridW);
    public double ExportW => Math.Max(0, -GridW);

    /// <summary>Solar power the house does not use itself.</summary>
    public double SurplusW => Math.Max(0, SolarW - HouseW);

    /// <summary>The part of the car's power covered by the solar surplus; the rest comes from the grid.</summary>
    public double CarFromSolarW => Math.Min(CarW, SurplusW);

    /// <summary>The energy of a step during which these flows hold throughout (see <see cref="StepFlows.Over"/>).</summary>
    public EnergyStep Over(TimeSpan duration, double? pricePerKwh) => StepFlows.Of(this).Over(duration, pricePerKwh);
}

/// <summary>
/// Energy over one step (kWh). <see cref="CarCost"/> is the import the car caused (its power not
/// covered by surplus) times the price; null without a price.
/// </summary>
public readonly record struct EnergyStep(
    double CarKwh,
    double CarFromSolarKwh,
    double ImportKwh,
    double ExportKwh,
    double? ImportCost,
    double? CarCost);

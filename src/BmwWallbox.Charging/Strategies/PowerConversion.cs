namespace BmwWallbox.Charging.Strategies;

/// <summary>Watts ↔ amperes per phase of one installation: W = A × V × phases (the phases charged on now).</summary>
internal sealed record PowerConversion(double Voltage, int Phases)
{
    public double Amps(double watts) => watts / (Voltage * Phases);

    public double Watts(double amps) => amps * Voltage * Phases;

    /// <summary>The same installation charging on <paramref name="phases"/> phases.</summary>
    public PowerConversion On(int phases) => phases == Phases ? this : this with { Phases = phases };
}

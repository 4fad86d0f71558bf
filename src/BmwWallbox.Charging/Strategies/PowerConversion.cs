namespace BmwWallbox.Charging.Strategies;

/// <summary>Watts ↔ amperes per phase of one installation: W = A × V × phases.</summary>
internal sealed record PowerConversion(double Voltage, int Phases)
{
    public double Amps(double watts) => watts / (Voltage * Phases);

    public double Watts(double amps) => amps * Voltage * Phases;
}

namespace BmwWallbox.SimulatedBox;

/// <summary>The electric car plugged into the simulated box.</summary>
public sealed record SimulatedCar
{
    public double BatteryKWh { get; init; } = 80;
    public double StartSocPercent { get; init; } = 20;
    /// <summary>The car suspends itself (SuspendedEV) when it reaches this state of charge.</summary>
    public double TargetSocPercent { get; init; } = 100;
    public double MaxCurrentAmps { get; init; } = 16;
    /// <summary>Below this offered current the car does not draw (some BMWs need 7 A).</summary>
    public double MinCurrentAmps { get; init; } = 6;
    public int Phases { get; init; } = 3;

    internal void Validate()
    {
        if (!(BatteryKWh > 0)) throw new ArgumentException($"BatteryKWh must be > 0, was {BatteryKWh}.");
        if (StartSocPercent is < 0 or > 100) throw new ArgumentException($"StartSocPercent must be within 0..100, was {StartSocPercent}.");
        if (TargetSocPercent is < 0 or > 100) throw new ArgumentException($"TargetSocPercent must be within 0..100, was {TargetSocPercent}.");
        if (!(MaxCurrentAmps > 0)) throw new ArgumentException($"MaxCurrentAmps must be > 0, was {MaxCurrentAmps}.");
        if (MinCurrentAmps < 0 || MinCurrentAmps > MaxCurrentAmps)
            throw new ArgumentException($"MinCurrentAmps must be within 0..MaxCurrentAmps, was {MinCurrentAmps}.");
        if (Phases is not (1 or 2 or 3)) throw new ArgumentException($"Phases must be 1, 2 or 3, was {Phases}.");
    }
}

namespace BmwWallbox.Planning;

/// <summary>
/// A station as the planner sees it: its id and topic name, and the power it can draw:
/// 0, or <see cref="MinCurrent"/>..<see cref="MaxCurrent"/> A at <see cref="WattsPerAmp"/> (voltage × phases in use).
/// </summary>
public sealed record PlanStation(string Id, string Name, double MinCurrent, double MaxCurrent, double WattsPerAmp)
{
    public double MinPowerW => MinCurrent * WattsPerAmp;

    public double MaxPowerW => MaxCurrent * WattsPerAmp;
}

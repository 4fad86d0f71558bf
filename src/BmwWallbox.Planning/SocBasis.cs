namespace BmwWallbox.Planning;

/// <summary>
/// What a soc target was planned from: the car's SoC signal and its reading (null: none available, planned from
/// empty), the battery capacity that turns % into kWh, and a line saying so (published with the plan).
/// </summary>
public sealed record SocBasis(string Signal, double? Percent, double BatteryKwh, string Note);

namespace BmwWallbox.Simulation;

/// <summary>Which CSV columns the house model reads. Powers in W, price per kWh.</summary>
public sealed record HouseSignals
{
    public string Solar { get; init; } = "solar_power";
    public string House { get; init; } = "house_power";
    /// <summary>Used to derive the house load when there is no house column (grid = house + car − solar).</summary>
    public string Grid { get; init; } = "grid_power";
    public string Price { get; init; } = "price";
}

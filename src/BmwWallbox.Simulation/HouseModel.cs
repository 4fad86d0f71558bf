namespace BmwWallbox.Simulation;

/// <summary>Where the house load comes from.</summary>
public enum HouseLoadSource
{
    /// <summary>A house_power column.</summary>
    Recorded,
    /// <summary>house = grid + solar − recorded car power (assumed 0: the recording had no car charging).</summary>
    DerivedFromGrid,
    /// <summary>Neither house nor grid recorded: the house load is taken as 0 W.</summary>
    None,
}

/// <summary>
/// A simple house: the recorded solar and house (or grid) power plus the simulated car.
/// Each value holds until the next sample that has one (an empty cell keeps the previous value);
/// before the first value solar and house count as 0 W and the price as unknown.
/// </summary>
public sealed class HouseModel
{
    private readonly int _solar;
    private readonly int _house;
    private readonly int _grid;
    private readonly int _price;
    private double _solarW;
    private double _houseW;
    private double _gridW;

    public HouseModel(IReadOnlyList<string> columns, HouseSignals? signals = null)
    {
        signals ??= new HouseSignals();
        _solar = IndexOf(columns, signals.Solar);
        _house = IndexOf(columns, signals.House);
        _grid = IndexOf(columns, signals.Grid);
        _price = IndexOf(columns, signals.Price);
        LoadSource = _house >= 0 ? HouseLoadSource.Recorded
            : _grid >= 0 ? HouseLoadSource.DerivedFromGrid
            : HouseLoadSource.None;
    }

    public HouseLoadSource LoadSource { get; }
    public bool HasSolar => _solar >= 0;
    public bool HasPrice => _price >= 0;

    public double SolarW => _solarW;

    /// <summary>The house load without the car, never below 0 (recordings of grid and solar are not perfectly in step).</summary>
    public double HouseW => LoadSource == HouseLoadSource.DerivedFromGrid ? Math.Max(0, _gridW + _solarW) : _houseW;

    /// <summary>The latest price per kWh, null before the first one (or without a price column).</summary>
    public double? Price { get; private set; }

    /// <summary>Takes the values a sample has; empty cells keep the previous value.</summary>
    public void Update(in SignalSample sample)
    {
        if (_solar >= 0 && sample.TryGetValue(_solar, out var solar)) _solarW = solar;
        if (_house >= 0 && sample.TryGetValue(_house, out var house)) _houseW = house;
        if (_grid >= 0 && sample.TryGetValue(_grid, out var grid)) _gridW = grid;
        if (_price >= 0 && sample.TryGetValue(_price, out var price)) Price = price;
    }

    /// <summary>The flows with the car drawing <paramref name="carW"/>.</summary>
    public PowerBalance Balance(double carW) => new(_solarW, HouseW, carW);

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
            if (columns[i] == name) return i;
        return -1;
    }
}

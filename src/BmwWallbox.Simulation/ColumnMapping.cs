namespace BmwWallbox.Simulation;

/// <summary>
/// Which CSV columns the rules see: those named like a configured signal, as if they arrived over MQTT.
/// A configured grid signal is fed from the simulated meter instead (house + car − solar): a recorded
/// grid column knows nothing of the simulated car.
/// </summary>
public sealed class ColumnMapping
{
    private ColumnMapping(IReadOnlyList<(int Column, string Signal)> fed, string? simulatedGrid, IReadOnlyList<string> notes)
    {
        Fed = fed;
        SimulatedGrid = simulatedGrid;
        Notes = notes;
    }

    /// <summary>Column index → signal name of the columns given to the rules.</summary>
    public IReadOnlyList<(int Column, string Signal)> Fed { get; }

    /// <summary>The signal that gets the simulated grid power each sample, or null when no grid signal is configured.</summary>
    public string? SimulatedGrid { get; }

    /// <summary>What the user should know about the columns (unknown columns, signals without data), one line each.</summary>
    public IReadOnlyList<string> Notes { get; }

    public static ColumnMapping Create(SimulationSetup setup, IReadOnlyList<string> columns, string fileName)
    {
        var configured = setup.Signals.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var house = setup.House;
        var houseColumns = new[] { house.Solar, house.House, house.Grid, house.Price };
        var simulatedGrid = configured.Contains(house.Grid) ? house.Grid : null;
        var fed = new List<(int, string)>();
        var notes = new List<string>();
        for (var i = 0; i < columns.Count; i++)
        {
            var name = columns[i];
            if (name == simulatedGrid) continue;
            if (configured.Contains(name)) fed.Add((i, name));
            else if (houseColumns.Contains(name))
                notes.Add($"column '{name}' of {fileName} is not a signal in config.yaml (signals:): the rules do not see it; the house model uses it");
            else
                notes.Add($"column '{name}' of {fileName} is not a signal in config.yaml (signals:) and is ignored");
        }
        if (simulatedGrid is not null)
            notes.Add($"signal '{simulatedGrid}' is the simulated grid meter (house + car − solar), updated every sample"
                + (columns.Contains(simulatedGrid) ? $"; the recorded column only serves to derive the house load" : ""));
        foreach (var signal in setup.Signals.Select(s => s.Name).Where(s => s != simulatedGrid && !columns.Contains(s)))
            notes.Add($"signal '{signal}' has no column in {fileName}: it stays unavailable to the rules");
        return new ColumnMapping(fed, simulatedGrid, notes);
    }
}

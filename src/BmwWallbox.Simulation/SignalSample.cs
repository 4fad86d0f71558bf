namespace BmwWallbox.Simulation;

/// <summary>
/// One row of a signal CSV: its time and the value of each signal column (in the order of
/// <see cref="SignalCsvReader.Columns"/>). An empty cell means "no value at this sample".
/// </summary>
public readonly struct SignalSample
{
    private readonly double[] _values;

    internal SignalSample(DateTimeOffset time, int line, double[] values)
    {
        Time = time;
        Line = line;
        _values = values;
    }

    public DateTimeOffset Time { get; }

    /// <summary>The line of the file this sample came from (for messages).</summary>
    public int Line { get; }

    public int Count => _values?.Length ?? 0;

    /// <summary>The value of column <paramref name="column"/>, or null for an empty cell.</summary>
    public double? this[int column] => TryGetValue(column, out var v) ? v : null;

    public bool TryGetValue(int column, out double value)
    {
        value = _values[column];
        return !double.IsNaN(value);
    }
}

namespace BmwWallbox.Simulation;

/// <summary>
/// A signal CSV read whole, so <c>simulate</c> parses its file once: the check before anything is written (a bad line,
/// the sample intervals) and the run share one pass. Kept in flat arrays (a year of 1-minute samples with three columns
/// is about 23 MB) that the garbage collector need not trace, rather than as 525,600 small objects.
/// </summary>
public sealed class LoadedSignals : ISignalData
{
    private readonly DateTimeOffset[] _times;
    private readonly int[] _lines;
    private readonly double[] _values;
    private int _handedOut;

    private LoadedSignals(IReadOnlyList<string> columns, DateTimeOffset[] times, int[] lines, double[] values)
    {
        Columns = columns;
        _times = times;
        _lines = lines;
        _values = values;
    }

    /// <summary>Reads every sample of <paramref name="reader"/>. Throws <see cref="SignalCsvException"/> at a bad row.</summary>
    public static LoadedSignals Read(SignalCsvReader reader)
    {
        var columns = reader.Columns.Count;
        var times = new List<DateTimeOffset>();
        var lines = new List<int>();
        var values = new List<double>();
        foreach (var sample in reader.ReadSamples())
        {
            times.Add(sample.Time);
            lines.Add(sample.Line);
            for (var c = 0; c < columns; c++) values.Add(sample.TryGetValue(c, out var v) ? v : double.NaN);
        }
        return new LoadedSignals(reader.Columns, [.. times], [.. lines], [.. values]);
    }

    public IReadOnlyList<string> Columns { get; }

    public int Count => _times.Length;

    public double? Progress => Count > 0 ? (double)_handedOut / Count : null;

    /// <summary>Sample <paramref name="index"/> (its values copied: a sample owns them).</summary>
    public SignalSample this[int index]
    {
        get
        {
            var columns = Columns.Count;
            return new SignalSample(_times[index], _lines[index], _values.AsSpan(index * columns, columns).ToArray());
        }
    }

    /// <summary>The samples in time order (counting those handed out, for <see cref="Progress"/>).</summary>
    public IEnumerable<SignalSample> Samples()
    {
        for (var i = 0; i < Count; i++)
        {
            _handedOut = i + 1;
            yield return this[i];
        }
    }

    public IEnumerable<(SignalSample Sample, TimeSpan Duration)> ReadSteps() => ISignalData.StepsOf(Samples());
}

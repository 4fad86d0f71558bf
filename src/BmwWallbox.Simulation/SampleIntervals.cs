namespace BmwWallbox.Simulation;

/// <summary>
/// How often the data has a value: for each column the most common gap between two of its non-empty
/// cells, and for the rows the most common gap between two samples. The most common, not the longest,
/// so an outage in the recording still shows as one.
/// </summary>
public sealed class SampleIntervals
{
    private readonly TimeSpan?[] _columns;

    private SampleIntervals(TimeSpan? rows, TimeSpan?[] columns, int samples)
    {
        Rows = rows;
        _columns = columns;
        Samples = samples;
    }

    /// <summary>The usual time between two samples; null with fewer than two.</summary>
    public TimeSpan? Rows { get; }

    public int Samples { get; }

    /// <summary>The usual time between two values of column <paramref name="column"/>; null with fewer than two.</summary>
    public TimeSpan? Of(int column) => _columns[column];

    /// <summary>Reads all <paramref name="samples"/> once.</summary>
    public static SampleIntervals Measure(IEnumerable<SignalSample> samples, int columns)
    {
        var rowGaps = new Dictionary<TimeSpan, int>();
        var columnGaps = Enumerable.Range(0, columns).Select(_ => new Dictionary<TimeSpan, int>()).ToArray();
        var lastValue = new DateTimeOffset?[columns];
        DateTimeOffset? lastRow = null;
        var count = 0;
        foreach (var sample in samples)
        {
            count++;
            if (lastRow is { } previous) Count(rowGaps, sample.Time - previous);
            lastRow = sample.Time;
            for (var c = 0; c < columns; c++)
            {
                if (!sample.TryGetValue(c, out _)) continue;
                if (lastValue[c] is { } before) Count(columnGaps[c], sample.Time - before);
                lastValue[c] = sample.Time;
            }
        }
        return new SampleIntervals(MostCommon(rowGaps), columnGaps.Select(MostCommon).ToArray(), count);
    }

    private static void Count(Dictionary<TimeSpan, int> gaps, TimeSpan gap) => gaps[gap] = gaps.GetValueOrDefault(gap) + 1;

    private static TimeSpan? MostCommon(Dictionary<TimeSpan, int> gaps) =>
        gaps.Count == 0 ? null : gaps.OrderByDescending(g => g.Value).ThenBy(g => g.Key).First().Key;
}

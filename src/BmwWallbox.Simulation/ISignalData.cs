namespace BmwWallbox.Simulation;

/// <summary>The recorded signals a run replays: a CSV read as it goes (<see cref="SignalCsvReader"/>) or one read whole beforehand (<see cref="LoadedSignals"/>).</summary>
public interface ISignalData
{
    /// <summary>The signal columns in file order (the timestamp column excluded).</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>How far through the data the run is (0..1), when known.</summary>
    double? Progress { get; }

    /// <summary>Each sample with how long it holds (see <see cref="StepsOf"/>). Can be enumerated once.</summary>
    IEnumerable<(SignalSample Sample, TimeSpan Duration)> ReadSteps();

    /// <summary>
    /// Each of <paramref name="samples"/> (in time order) with how long it holds: until the next sample. The last one holds
    /// as long as the interval before it (zero in a one-sample file). The one place of this rule, for every kind of data.
    /// </summary>
    static IEnumerable<(SignalSample Sample, TimeSpan Duration)> StepsOf(IEnumerable<SignalSample> samples)
    {
        SignalSample? pending = null;
        var lastDuration = TimeSpan.Zero;
        foreach (var sample in samples)
        {
            if (pending is { } p)
            {
                lastDuration = sample.Time - p.Time;
                yield return (p, lastDuration);
            }
            pending = sample;
        }
        if (pending is { } last) yield return (last, lastDuration);
    }
}

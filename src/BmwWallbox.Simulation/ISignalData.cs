namespace BmwWallbox.Simulation;

/// <summary>The recorded signals a run replays: a CSV read as it goes (<see cref="SignalCsvReader"/>) or one read whole beforehand (<see cref="LoadedSignals"/>).</summary>
public interface ISignalData
{
    /// <summary>The signal columns in file order (the timestamp column excluded).</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>How far through the data the run is (0..1), when known.</summary>
    double? Progress { get; }

    /// <summary>
    /// Each sample with how long it holds: until the next sample. The last one holds as long as the interval before it
    /// (zero in a one-sample file). Can be enumerated once.
    /// </summary>
    IEnumerable<(SignalSample Sample, TimeSpan Duration)> ReadSteps();
}

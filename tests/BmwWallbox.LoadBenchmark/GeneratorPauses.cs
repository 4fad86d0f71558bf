namespace BmwWallbox.LoadBenchmark;

/// <summary>
/// The load generator's own garbage collections: while one runs, its clients neither send nor read, so a call
/// in flight looks slower by the pause. Reported beside the latencies so a p99 can be read against them.
/// </summary>
internal readonly record struct GeneratorPauses(int Count, TimeSpan Total)
{
    public static GeneratorPauses SoFar() => new(GC.CollectionCount(0), GC.GetTotalPauseDuration());

    public static GeneratorPauses operator -(GeneratorPauses later, GeneratorPauses earlier)
        => new(later.Count - earlier.Count, later.Total - earlier.Total);
}

using BmwWallbox.Core;

namespace BmwWallbox.Simulation;

/// <summary>
/// In <c>simulate</c> a sample holds until the next one. A signal whose <c>stale_after</c> is shorter than
/// the time between its samples in the data would turn unavailable between them (a pending <c>for:</c> is
/// then dropped), so recorded 15- or 30-minute data would show nothing but a config/data mismatch. The run
/// lengthens such a stale_after to the data's interval and says so: recordings are usually coarser than what
/// the sensor publishes live, but in the daemon a sensor publishing less often than stale_after does go stale.
/// </summary>
public static class SampleHold
{
    /// <summary>The setup with such signals' stale_after lengthened, and one warning per signal changed.</summary>
    public static (SimulationSetup Setup, IReadOnlyList<string> Warnings) Apply(SimulationSetup setup, IReadOnlyList<string> columns,
        SampleIntervals intervals, string fileName)
    {
        var mapping = ColumnMapping.Create(setup, columns, fileName);
        var warnings = new List<string>();
        var signals = setup.Signals.Select(signal =>
        {
            if (signal.StaleAfter is not { } staleAfter) return signal;
            // The simulated grid meter gets a value every sample; a fed column when it has one.
            TimeSpan? interval = signal.Name == mapping.SimulatedGrid ? intervals.Rows
                : mapping.Fed.Where(f => f.Signal == signal.Name).Select(f => intervals.Of(f.Column)).FirstOrDefault();
            if (interval is not { } every || every <= staleAfter) return signal;
            warnings.Add($"signal '{signal.Name}' has stale_after {Durations.Format(staleAfter)}, shorter than the {Durations.Format(every)} "
                + $"between its samples in {fileName}: simulate holds each sample until the next (as if stale_after were {Durations.Format(every)}); "
                + $"in the daemon a value arriving only every {Durations.Format(every)} would be unavailable in between, "
                + "so make stale_after longer than the interval its sensor publishes at");
            return signal with { StaleAfter = every };
        }).ToList();
        return (setup with { Signals = signals }, warnings);
    }
}

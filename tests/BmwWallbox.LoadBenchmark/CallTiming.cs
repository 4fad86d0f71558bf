namespace BmwWallbox.LoadBenchmark;

/// <summary>One call's time from send to reply, and whether the generator's own garbage collection fell within it.</summary>
internal readonly record struct CallTiming(TimeSpan Took, bool DuringGeneratorGc);

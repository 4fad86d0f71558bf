using System.Runtime;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Hosting;

/// <summary>
/// Gives back what a burst left in the heap. When thousands of stations connect at once (a restart
/// of a depot's CSMS), each leaves garbage behind (TLS handshake, HTTP upgrade, the first messages)
/// that has aged into gen2 by the time it is dead; the workstation GC collects gen2 only when its
/// budget, grown by the burst, runs out, which an idle server reaches late or never. Once a minute:
/// when the heap is much larger than after the last full collection, one compacting full collection
/// (a pause of some tens of milliseconds per 100 MB), which also returns the freed memory to the system.
/// </summary>
internal sealed class HeapTrim : IDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);
    // Below this much garbage a compaction is not worth its pause.
    private const long MinGrowthBytes = 64L << 20;

    private readonly ILogger _log;
    private readonly ITimer _timer;

    public HeapTrim(TimeProvider time, ILogger log)
    {
        _log = log;
        _timer = time.CreateTimer(_ => Check(), null, Every, Every);
    }

    /// <summary>The heap (live and not yet collected) has grown by at least 64 MB and half since the last full collection left it.</summary>
    internal static bool Worthwhile(long heapNow, long heapAfterLastFullCollection)
        => heapNow - heapAfterLastFullCollection >= MinGrowthBytes && heapNow >= heapAfterLastFullCollection * 3 / 2;

    private void Check()
    {
        var now = GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes;
        var afterFull = GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
        if (!Worthwhile(now, afterFull)) return;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _log.LogDebug("Heap compacted after a burst: {Before} MB -> {After} MB", now >> 20, GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes >> 20);
    }

    public void Dispose() => _timer.Dispose();
}

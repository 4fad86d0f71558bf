using System.Runtime;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Hosting;

/// <summary>
/// Gives back what a burst left in the heap. When thousands of stations connect at once (a restart
/// of a depot's CSMS), each leaves garbage behind (TLS handshake, HTTP upgrade, the first messages)
/// that has aged into gen2 by the time it is dead; the workstation GC collects gen2 only when its
/// budget, grown by the burst, runs out, which an idle server reaches late or never. Every 10 s: when
/// the heap is much larger than after the last full collection and has stopped growing (the burst is
/// over: compacting in the middle of it would pause the handshakes and keep nothing), one compacting
/// full collection (a pause of 100–180 ms per 100 MB kept on a 2-core machine: ~0.5 s after 10,000
/// stations connected), which also returns the freed memory to the system.
/// </summary>
internal sealed class HeapTrim : IDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);
    // Below this much garbage a compaction is not worth its pause.
    private const long MinGrowthBytes = 64L << 20;
    // Growing by less than this between two checks: the burst has settled.
    private const long SettledGrowthBytes = 8L << 20;

    private readonly ILogger _log;
    private readonly ITimer _timer;
    private long _heapAtLastCheck;

    public HeapTrim(TimeProvider time, ILogger log)
    {
        _log = log;
        _timer = time.CreateTimer(_ => Check(), null, Every, Every);
    }

    /// <summary>
    /// The heap (live and not yet collected) has grown by at least 64 MB and half since the last full collection
    /// left it, and by less than 8 MB since the previous check.
    /// </summary>
    internal static bool Worthwhile(long heapNow, long heapAtLastCheck, long heapAfterLastFullCollection)
        => heapNow - heapAfterLastFullCollection >= MinGrowthBytes && heapNow >= heapAfterLastFullCollection * 3 / 2
           && heapNow - heapAtLastCheck < SettledGrowthBytes;

    private void Check()
    {
        var now = GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes;
        var afterFull = GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
        var atLastCheck = _heapAtLastCheck;
        _heapAtLastCheck = now;
        if (!Worthwhile(now, atLastCheck, afterFull)) return;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _heapAtLastCheck = GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes;
        _log.LogDebug("Heap compacted after a burst: {Before} MB -> {After} MB", now >> 20, _heapAtLastCheck >> 20);
    }

    public void Dispose() => _timer.Dispose();
}

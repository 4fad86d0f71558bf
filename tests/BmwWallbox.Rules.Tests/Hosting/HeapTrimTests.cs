using BmwWallbox.Rules.Hosting;

namespace BmwWallbox.Rules.Tests.Hosting;

public class HeapTrimTests
{
    private const long Mb = 1L << 20;

    [Theory]
    [InlineData(100, 400, true)]  // a burst left 300 MB behind
    [InlineData(100, 140, false)] // 40 MB: not worth a pause
    [InlineData(400, 560, false)] // 160 MB more, but less than half again: the GC's own business
    [InlineData(400, 620, true)]
    [InlineData(0, 80, true)]     // no full collection yet since start
    public void Compacts_only_after_a_large_growth_since_the_last_full_collection(long afterFullMb, long nowMb, bool compacts)
        => Assert.Equal(compacts, HeapTrim.Worthwhile(nowMb * Mb, heapAtLastCheck: nowMb * Mb, afterFullMb * Mb));

    [Theory]
    [InlineData(250, 400, false)] // still growing by 150 MB in 10 s: the burst goes on, a compaction now would only pause it
    [InlineData(395, 400, true)]  // settled: 5 MB in 10 s
    [InlineData(0, 400, false)]   // the first check has nothing to compare with
    public void Waits_until_the_heap_has_stopped_growing(long atLastCheckMb, long nowMb, bool compacts)
        => Assert.Equal(compacts, HeapTrim.Worthwhile(nowMb * Mb, atLastCheckMb * Mb, heapAfterLastFullCollection: 100 * Mb));
}

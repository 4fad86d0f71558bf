using BmwWallbox.Core;

namespace BmwWallbox.Charging.Tests;

/// <summary>The per-station work queue of the controller and the charge mode: in order, one at a time, idle when dry.</summary>
public class SerialWorkTests
{
    [Fact]
    public async Task Items_run_one_at_a_time_in_the_order_posted_even_when_each_awaits()
    {
        var ran = new List<int>();
        var running = 0;
        var overlapped = false;
        var work = new SerialWork<int>(async n =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            await Task.Yield();
            lock (ran) ran.Add(n);
            Interlocked.Decrement(ref running);
        });

        for (var i = 0; i < 500; i++) Assert.True(work.TryPost(i));
        await work.WhenIdleAsync().WaitAsync(TestTimeouts.Slow);

        Assert.False(overlapped);
        Assert.Equal(Enumerable.Range(0, 500), ran);
        Assert.True(work.IsIdle);
    }

    [Fact]
    public async Task Idle_waits_for_what_is_running_and_what_is_queued_behind_it()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ran = new List<string>();
        var work = new SerialWork<string>(async s =>
        {
            if (s == "first") await gate.Task;
            ran.Add(s);
        });
        Assert.True(work.WhenIdleAsync().IsCompleted); // nothing posted yet

        work.TryPost("first");
        work.TryPost("second");
        var idle = work.WhenIdleAsync();
        Assert.False(idle.IsCompleted);
        Assert.False(work.IsIdle);

        gate.SetResult();
        await idle.WaitAsync(TestTimeouts.Slow);
        Assert.Equal(["first", "second"], ran);
    }

    [Fact]
    public async Task After_complete_nothing_more_is_taken_and_what_was_queued_still_runs()
    {
        var ran = 0;
        var work = new SerialWork<int>(async _ => { await Task.Yield(); Interlocked.Increment(ref ran); });
        work.TryPost(1);
        work.TryPost(2);

        await work.CompleteAsync().WaitAsync(TestTimeouts.Slow);

        Assert.Equal(2, ran);
        Assert.False(work.TryPost(3));
    }

    [Fact]
    public async Task A_failing_item_does_not_stop_the_ones_after_it()
    {
        var ran = new List<int>();
        var work = new SerialWork<int>(n => n == 1 ? throw new InvalidOperationException("bug") : Task.Run(() => ran.Add(n)));
        work.TryPost(1);
        work.TryPost(2);
        await work.WhenIdleAsync().WaitAsync(TestTimeouts.Slow);
        Assert.Equal([2], ran);
    }
}

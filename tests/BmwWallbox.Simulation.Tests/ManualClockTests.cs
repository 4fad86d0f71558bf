using BmwWallbox.Core;

namespace BmwWallbox.Simulation.Tests;

/// <summary>The one virtual clock of simulate, demo and the tests.</summary>
public class ManualClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_advance_runs_the_due_timers_in_due_order_and_leaves_the_later_ones()
    {
        var clock = new ManualClock(T0);
        var fired = new List<string>();
        using var late = clock.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromMinutes(10), Timeout.InfiniteTimeSpan);
        using var second = clock.CreateTimer(_ => fired.Add("second"), null, TimeSpan.FromMinutes(2), Timeout.InfiniteTimeSpan);
        using var first = clock.CreateTimer(_ => fired.Add("first"), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(["first", "second"], fired);
        Assert.Equal(T0.AddMinutes(5), clock.GetUtcNow());
        Assert.Equal(T0.AddMinutes(10), clock.NextDue());
    }

    [Fact]
    public void RunNextDue_runs_the_timers_due_now_one_per_call_in_the_order_they_were_armed()
    {
        var clock = new ManualClock(T0);
        var fired = new List<string>();
        using var later = clock.CreateTimer(_ => fired.Add("later"), null, TimeSpan.FromMinutes(2), Timeout.InfiniteTimeSpan);
        using var armedFirst = clock.CreateTimer(_ => fired.Add("armed first"), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        using var armedSecond = clock.CreateTimer(_ => fired.Add("armed second"), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        clock.MoveTo(T0.AddMinutes(1)); // leaves the timers due exactly then

        Assert.True(clock.RunNextDue());
        Assert.Equal(["armed first"], fired);
        Assert.True(clock.RunNextDue());
        Assert.False(clock.RunNextDue());
        Assert.Equal(["armed first", "armed second"], fired);
        Assert.Equal(T0.AddMinutes(2), clock.NextDue());
    }

    [Fact]
    public void A_periodic_timer_fires_once_for_every_period_an_advance_passes()
    {
        var clock = new ManualClock(T0);
        var count = 0;
        using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

        clock.Advance(TimeSpan.FromSeconds(35));

        Assert.Equal(3, count);
        Assert.Equal(T0.AddSeconds(40), clock.NextDue());
    }

    [Fact]
    public void A_timer_armed_without_delay_runs_at_once_and_a_disposed_one_never()
    {
        var clock = new ManualClock(T0);
        var ran = false;
        var disposedRan = false;
        using var now = clock.CreateTimer(_ => ran = true, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        var disposed = clock.CreateTimer(_ => disposedRan = true, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        disposed.Dispose();

        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.True(ran);
        Assert.False(disposedRan);
        Assert.Null(clock.NextDue());
    }

    [Fact]
    public async Task A_callback_can_arm_timers_and_await_delays_without_deadlocking_the_clock()
    {
        var clock = new ManualClock(T0);
        var chained = new TaskCompletionSource<DateTimeOffset>();
        ITimer? next = null;
        using var first = clock.CreateTimer(_ =>
            next = clock.CreateTimer(_ => chained.TrySetResult(clock.GetUtcNow()), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan),
            null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        var delay = Task.Delay(TimeSpan.FromSeconds(3), clock);

        clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(T0.AddSeconds(3), await chained.Task.WaitAsync(TestTimeouts.Guard));
        await delay.WaitAsync(TestTimeouts.Guard);
        next?.Dispose();
    }

    [Fact]
    public void Time_only_moves_forward_and_counting_views_count_their_own_timers()
    {
        var clock = new ManualClock(T0);
        var view = clock.CountingView();
        using var counted = view.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        using var other = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        clock.SetUtcNow(T0.AddSeconds(2));

        Assert.Equal(2, view.Fired);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetUtcNow(T0));
        Assert.Equal(T0.AddSeconds(2), view.GetUtcNow());
    }

    [Fact]
    public void Move_to_runs_the_timers_due_before_and_leaves_those_due_at_that_instant_for_the_next_advance()
    {
        var clock = new ManualClock(T0);
        var fired = new List<string>();
        using var before = clock.CreateTimer(_ => fired.Add("before"), null, TimeSpan.FromMinutes(4), Timeout.InfiniteTimeSpan);
        using var at = clock.CreateTimer(_ => fired.Add("at"), null, TimeSpan.FromMinutes(5), Timeout.InfiniteTimeSpan);

        clock.MoveTo(T0.AddMinutes(5));
        Assert.Equal(["before"], fired);
        Assert.Equal(T0.AddMinutes(5), clock.GetUtcNow());

        fired.Add("sample"); // what simulate does at the instant: apply the sample, then run its timers
        clock.Advance(TimeSpan.Zero);
        Assert.Equal(["before", "sample", "at"], fired);
    }

    [Fact]
    public async Task An_advance_while_another_thread_runs_timers_leaves_them_to_that_thread_which_runs_them_and_lets_go()
    {
        var clock = new ManualClock(T0);
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var due = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var later = clock.CreateTimer(_ => due.TrySetResult(clock.GetUtcNow()), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        ITimer? now = null;
        // Another thread arms a timer without delay and runs it itself; its callback takes a while.
        var other = Task.Run(() => now = clock.CreateTimer(_ =>
        {
            running.Set();
            release.Wait();
        }, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        Assert.True(running.Wait(TestTimeouts.Guard));

        clock.Advance(TimeSpan.FromMinutes(1)); // the other thread is running timers: the one due now is left to it
        release.Set();

        // It used to look for due timers only up to its own instant, find the clock's new one due and never let go.
        Assert.Equal(T0.AddMinutes(1), await due.Task.WaitAsync(TestTimeouts.Guard));
        await other.WaitAsync(TestTimeouts.Guard);
        now?.Dispose();
    }
}

using BmwWallbox.Core;
using BmwWallbox.Rules.Demo;

namespace BmwWallbox.Rules.Tests.Demo;

public class ScaledTimeProviderTests
{
    private static readonly DateTimeOffset VirtualStart = new(2026, 6, 21, 4, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _real = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Now_starts_at_the_virtual_start_and_runs_factor_times_faster()
    {
        var clock = new ScaledTimeProvider(VirtualStart, 60, _real);
        Assert.Equal(VirtualStart, clock.GetUtcNow());

        _real.Advance(TimeSpan.FromSeconds(2.5));

        Assert.Equal(VirtualStart + TimeSpan.FromMinutes(2.5), clock.GetUtcNow());
    }

    [Fact]
    public void Elapsed_time_from_timestamps_is_virtual_too()
    {
        var clock = new ScaledTimeProvider(VirtualStart, 360, _real);
        var start = clock.GetTimestamp();

        _real.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromHours(1), clock.GetElapsedTime(start));
    }

    [Fact]
    public void A_timer_fires_after_its_due_time_divided_by_the_factor_and_never_before_it_in_virtual_time()
    {
        var clock = new ScaledTimeProvider(VirtualStart, 60, _real);
        DateTimeOffset? firedAt = null;
        using var timer = clock.CreateTimer(_ => firedAt = clock.GetUtcNow(), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);

        _real.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Null(firedAt);

        _real.Advance(TimeSpan.FromMilliseconds(3)); // due/60 rounded up to whole ms, plus a 1 ms margin
        Assert.NotNull(firedAt);
        Assert.True(firedAt >= VirtualStart + TimeSpan.FromMinutes(1), $"fired at {firedAt:O}, before its due time");
    }

    [Fact]
    public void Periodic_timers_and_Change_are_scaled()
    {
        var clock = new ScaledTimeProvider(VirtualStart, 60, _real);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        for (var i = 0; i < 3; i++) _real.Advance(TimeSpan.FromMilliseconds(1001));
        Assert.Equal(3, fired);

        timer.Change(TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        _real.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(3, fired);
        _real.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(4, fired);
    }

    [Fact]
    public void Zero_fires_at_once_and_infinite_never()
    {
        var clock = new ScaledTimeProvider(VirtualStart, 1000, _real);
        var now = 0;
        var never = 0;
        using var immediate = clock.CreateTimer(_ => now++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        using var disabled = clock.CreateTimer(_ => never++, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        _real.Advance(TimeSpan.FromDays(30));

        Assert.Equal(1, now);
        Assert.Equal(0, never);
    }

    [Fact]
    public async Task Task_Delay_on_the_clock_waits_virtual_time()
    {
        var clock = new ScaledTimeProvider(VirtualStart, 60, _real);
        var delay = Task.Delay(TimeSpan.FromMinutes(10), clock);

        _real.Advance(TimeSpan.FromSeconds(9));
        Assert.False(delay.IsCompleted);
        _real.Advance(TimeSpan.FromSeconds(1.1));

        await delay.WaitAsync(TestTimeouts.Guard);
        Assert.True(clock.GetUtcNow() >= VirtualStart + TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void A_stopped_clock_stands_still_and_its_timers_count_from_Start()
    {
        var clock = new ScaledTimeProvider(VirtualStart, 60, _real, started: false);
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        using var changed = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        changed.Change(TimeSpan.FromMinutes(3), Timeout.InfiniteTimeSpan);
        var disposed = clock.CreateTimer(_ => fired.Add(DateTimeOffset.MinValue), null, TimeSpan.FromMinutes(2), Timeout.InfiniteTimeSpan);
        disposed.Dispose();
        var timestamp = clock.GetTimestamp();

        _real.Advance(TimeSpan.FromMinutes(10)); // a slow start-up
        Assert.False(clock.IsRunning);
        Assert.Equal(VirtualStart, clock.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, clock.GetElapsedTime(timestamp));
        Assert.Empty(fired);

        clock.Start();
        _real.Advance(TimeSpan.FromSeconds(1.1));
        _real.Advance(TimeSpan.FromSeconds(2));

        Assert.True(clock.IsRunning);
        Assert.Equal(VirtualStart + TimeSpan.FromMinutes(3.1), clock.GetUtcNow());
        Assert.Equal(2, fired.Count);
        Assert.True(fired[0] >= VirtualStart + TimeSpan.FromMinutes(1) && fired[0] < VirtualStart + TimeSpan.FromMinutes(1.2), $"{fired[0]:O}");
        Assert.True(fired[1] >= VirtualStart + TimeSpan.FromMinutes(3), $"{fired[1]:O}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_factor_that_is_not_a_positive_number_is_refused(double factor)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledTimeProvider(VirtualStart, factor, _real));
        Assert.Contains("positive", e.Message);
    }
}


namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>
/// <see cref="RuleRuntime.IsIdle"/> / <see cref="RuleRuntime.WhenIdleAsync"/>: what <c>simulate</c> waits for
/// before it moves the virtual clock, so a reaction happens at the instant that caused it.
/// </summary>
public sealed class IdleTests
{
    [Fact]
    public async Task A_claim_counts_as_busy_from_the_signal_until_its_trace_is_recorded()
    {
        await using var h = new Harness();
        await h.StartAsync("""
            - id: low
              while: { signal: solar_power, below: 2000 }
              limit: pause
            """);
        await h.Runtime.WhenIdleAsync(CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        h.Controller.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        h.Signals.Set("solar_power", 500);
        Assert.False(h.Runtime.IsIdle); // queued in the same call that set the signal
        var idle = h.Runtime.WhenIdleAsync(CancellationToken.None);
        Assert.False(idle.IsCompleted);

        h.Controller.Gate.SetResult();
        await idle.WaitAsync(TestTimeouts.Guard);
        Assert.True(h.Runtime.IsIdle);
        Assert.Equal("claimed", Assert.Single(h.Runtime.Traces("low")).Result);
    }

    [Fact]
    public async Task A_run_waiting_in_a_delay_is_idle_until_the_clock_reaches_its_end()
    {
        await using var h = new Harness();
        await h.StartAsync("""
            - id: dip
              when: [{ signal: solar_power, below: 1000 }]
              then:
                - delay: 2m
                - pause
            """);
        h.Signals.Set("solar_power", 3000);
        h.Signals.Set("solar_power", 500);
        await h.Runtime.WhenIdleAsync(CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        Assert.Empty(h.Controller.Calls);

        h.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(h.Runtime.IsIdle); // busy again from the timer's callback on, before the run goes on
        await h.Runtime.WhenIdleAsync(CancellationToken.None).WaitAsync(TestTimeouts.Guard);
        Assert.Equal(["claim dip 0"], h.Controller.Calls);
    }
}

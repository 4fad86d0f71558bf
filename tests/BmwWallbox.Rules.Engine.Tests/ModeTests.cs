
namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>What an edge rule does when it fires while a run is still going.</summary>
public sealed class ModeTests : IAsyncLifetime
{
    private readonly Harness _h = new();
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task StartAsync(string mode, int max = 10) => _h.StartAsync($"""
        - id: slow
          when: [{"{"} mqtt: go {"}"}]
          mode: {mode}
          max: {max}
          then:
            - log: begin
            - delay: 1m
            - log: end
        """);

    [Fact]
    public async Task Single_ignores_a_trigger_while_running()
    {
        await StartAsync("single");
        var first = _h.NextTrace("slow");
        await _h.PublishAsync("go", "1");
        await _h.Timers.ArmedAsync(Minute);
        await _h.PublishAsync("go", "2"); // ignored
        _h.Clock.Advance(Minute);
        Assert.Equal(("1", "done"), ((await first).Trigger.Values["payload"], (await first).Result));

        var next = _h.NextTrace("slow");
        await _h.PublishAsync("go", "3");
        await _h.Timers.ArmedAsync(Minute);
        _h.Clock.Advance(Minute);
        var trace = await next;
        Assert.Equal(("3", 2L), (trace.Trigger.Values["payload"], trace.Run));
    }

    [Fact]
    public async Task Restart_cancels_the_running_run_and_starts_again()
    {
        await StartAsync("restart");
        var two = _h.Traces("slow", 2);
        await _h.PublishAsync("go", "1");
        await _h.Timers.ArmedAsync(Minute);
        await _h.PublishAsync("go", "2");
        await _h.Timers.ArmedAsync(Minute); // the new run waits in its own delay
        _h.Clock.Advance(Minute);
        var traces = (await two).OrderBy(t => t.Run).ToList();
        Assert.Equal(("1", "cancelled"), (traces[0].Trigger.Values["payload"], traces[0].Result));
        Assert.Equal(["log"], traces[0].Actions.Select(a => a.Action));
        Assert.Equal(("2", "done"), (traces[1].Trigger.Values["payload"], traces[1].Result));
    }

    [Fact]
    public async Task Queued_runs_one_after_another()
    {
        await StartAsync("queued");
        var two = _h.Traces("slow", 2);
        await _h.PublishAsync("go", "1");
        await _h.Timers.ArmedAsync(Minute);
        await _h.PublishAsync("go", "2");
        _h.Clock.Advance(Minute);
        await _h.Timers.ArmedAsync(Minute); // run 2 starts only now
        _h.Clock.Advance(Minute);
        var traces = (await two).OrderBy(t => t.Run).ToList();
        Assert.Equal(["1", "2"], traces.Select(t => t.Trigger.Values["payload"]));
        Assert.Equal(Harness.Monday0800Utc + 2 * Minute, traces[1].Actions.Last().At);
        Assert.All(traces, t => Assert.Equal("done", t.Result));
    }

    [Fact]
    public async Task Parallel_runs_side_by_side_up_to_max()
    {
        await StartAsync("parallel", max: 2);
        var two = _h.Traces("slow", 2);
        await _h.PublishAsync("go", "1");
        await _h.Timers.ArmedAsync(Minute);
        await _h.PublishAsync("go", "2");
        await _h.Timers.ArmedAsync(Minute);
        await _h.PublishAsync("go", "3"); // over max: dropped
        _h.Clock.Advance(Minute);
        var traces = await two;
        Assert.All(traces, t => Assert.Equal(Harness.Monday0800Utc + Minute, t.Actions.Last().At));
        Assert.Equal(["1", "2"], traces.Select(t => t.Trigger.Values["payload"]).Order());
    }
}

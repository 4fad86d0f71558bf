using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>The watch behind the rules folder's reload and data_dir/stations.json's approvals, in virtual time.</summary>
public sealed class DebouncedFileWatchTests : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromSeconds(1);
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-watch-").FullName;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));
    private int _calls;

    private DebouncedFileWatch Watch(string dir, TimeSpan? poll = null) =>
        new(dir, "*.yaml", Debounce, () => Interlocked.Increment(ref _calls), _clock, poll: poll);

    [Fact]
    public void Each_poke_restarts_the_wait_so_a_burst_is_one_call_once_quiet()
    {
        using var watch = Watch(_dir);
        watch.Poke();
        _clock.Advance(TimeSpan.FromMilliseconds(600));
        watch.Poke();
        _clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Equal(0, _calls);
        _clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal(1, _calls);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task Writing_a_watched_file_calls_back_once_it_is_quiet()
    {
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = new DebouncedFileWatch(_dir, "*.yaml", Debounce, () => called.TrySetResult(), _clock);
        // Each change the watcher notices re-arms the debounce; move virtual time past it each time.
        watch.ChangeNoticed += () => _clock.Advance(Debounce);
        await File.WriteAllTextAsync(Path.Combine(_dir, "rules.yaml"), "- id: a\n");
        await called.Task.WaitAsync(TestTimeouts.Guard);
    }

    [Fact]
    public void A_folder_that_cannot_be_watched_says_why_and_the_poll_still_calls_back()
    {
        using var watch = Watch(Path.Combine(_dir, "missing"), poll: TimeSpan.FromSeconds(30));
        Assert.Contains("missing", watch.Problem);
        _clock.Advance(TimeSpan.FromSeconds(30));
        _clock.Advance(Debounce);
        Assert.Equal(1, _calls);
    }

    [Fact]
    public void Nothing_is_called_after_dispose()
    {
        var watch = Watch(_dir, poll: TimeSpan.FromSeconds(30));
        watch.Poke();
        watch.Dispose();
        watch.Poke();
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, _calls);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}


namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>Hot reload: a valid folder is swapped in as a whole, an invalid one is reported and changes nothing.</summary>
public sealed class ReloadTests : IAsyncLifetime
{
    private readonly Harness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _h.DisposeAsync();

    private const string LevelPause = "- id: hold\n  while: { signal: house_power, above: 1000 }\n  limit: pause\n";

    [Fact]
    public async Task A_valid_change_replaces_the_whole_set()
    {
        await _h.StartAsync("- id: old\n  when: [{ mqtt: go }]\n  then: [{ log: old }]\n");
        _h.Write("rules.yaml", "- id: new\n  when: [{ mqtt: go }]\n  then: [{ log: new }]\n");
        _h.Write("more.yaml", "- id: extra\n  enabled: false\n  when: [{ mqtt: go }]\n  then: [{ log: extra }]\n");

        var result = await _h.Runtime.ReloadAsync(CancellationToken.None);
        Assert.Equal((true, 2, 2), (result.Ok, result.Rules, result.Files));
        Assert.Equal(["extra", "new"], _h.Runtime.Stats().Select(s => s.RuleId).Order());
        Assert.False(_h.Runtime.Stats().Single(s => s.RuleId == "extra").Enabled);

        var fired = _h.NextTrace("new");
        await _h.PublishAsync("go", "");
        await fired;
        Assert.Empty(_h.Runtime.Traces("old"));
        Assert.Empty(_h.Runtime.Traces("extra"));
    }

    [Fact]
    public async Task An_invalid_change_is_reported_and_the_old_set_keeps_running()
    {
        await _h.StartAsync("- id: old\n  when: [{ mqtt: go }]\n  then: [{ log: old }]\n");
        _h.Write("rules.yaml", "- id: old\n  when: [{ mqtt: go }]\n  then: [{ lgo: old }]\n");

        var result = await _h.Runtime.ReloadAsync(CancellationToken.None);
        Assert.False(result.Ok);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, 12), (error.Line, error.Column));
        Assert.Equal("did you mean 'log'?", error.Hint);
        Assert.Equal(result.Errors, _h.Runtime.LoadErrors);

        var fired = _h.NextTrace("old");
        await _h.PublishAsync("go", "");
        Assert.Equal("done", (await fired).Result);
    }

    [Fact]
    public async Task Without_a_rules_folder_at_start_no_rules_run_and_nothing_is_an_error()
    {
        Directory.Delete(_h.Dir);

        var result = await _h.Runtime.StartAsync(CancellationToken.None);

        Assert.Equal((true, 0, 0), (result.Ok, result.Rules, result.Files));
        Assert.Empty(_h.Runtime.LoadErrors);
        Assert.Contains(_h.Logs.Lines, l => l.Contains("does not exist: no rules run"));
    }

    [Fact]
    public async Task A_rules_folder_removed_while_running_is_reported_and_the_rules_keep_running()
    {
        await _h.StartAsync("- id: old\n  when: [{ mqtt: go }]\n  then: [{ log: old }]\n");
        Directory.Delete(_h.Dir, recursive: true);

        var result = await _h.Runtime.ReloadAsync(CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Contains("does not exist", Assert.Single(result.Errors).Message);
        var fired = _h.NextTrace("old");
        await _h.PublishAsync("go", "");
        Assert.Equal("done", (await fired).Result);
    }

    [Fact]
    public async Task A_removed_or_disabled_rule_gives_its_claim_back()
    {
        _h.Signals.Set("house_power", 5000);
        var claimed = _h.NextTrace("hold");
        await _h.StartAsync(LevelPause + "- id: other\n  when: [{ mqtt: x }]\n  then: [{ set_current: 10 }]\n");
        await claimed;
        var capped = _h.NextTrace("other");
        await _h.PublishAsync("x", "");
        await capped;

        _h.Write("rules.yaml", LevelPause.Replace("limit: pause", "enabled: false\n  limit: pause"));
        Assert.True((await _h.Runtime.ReloadAsync(CancellationToken.None)).Ok);
        Assert.Equal(["claim hold 0", "claim other 10", "release hold", "release other"], _h.Controller.Calls);
        Assert.Empty(_h.Controller.Claims);
    }

    [Fact]
    public async Task A_level_rule_that_stays_keeps_its_claim_and_a_new_limit_is_claimed_once()
    {
        _h.Signals.Set("house_power", 5000);
        var claimed = _h.NextTrace("hold");
        await _h.StartAsync(LevelPause);
        await claimed;

        Assert.True((await _h.Runtime.ReloadAsync(CancellationToken.None)).Ok); // unchanged: no release, no re-claim
        Assert.Equal(["claim hold 0"], _h.Controller.Calls);

        var reclaimed = _h.NextTrace("hold");
        _h.Write("rules.yaml", LevelPause.Replace("limit: pause", "limit: 6"));
        Assert.True((await _h.Runtime.ReloadAsync(CancellationToken.None)).Ok);
        Assert.Equal("limit changed by reload", (await reclaimed).Trigger.Description);
        Assert.Equal(["claim hold 0", "claim hold 6"], _h.Controller.Calls);

        var released = _h.NextTrace("hold");
        _h.Signals.Set("house_power", 100);
        await released;
        Assert.Empty(_h.Controller.Claims);
    }

    [Fact]
    public async Task Saving_a_file_reloads_after_the_debounce_good_and_bad()
    {
        await _h.StartAsync("- id: old\n  when: [{ mqtt: go }]\n  then: [{ log: old }]\n");
        // Each change the watcher notices re-arms the debounce; move virtual time past it each time.
        _h.Runtime.ChangeNoticed += () => _h.Clock.Advance(new RulesOptions().ReloadDebounce);

        var good = NextReload(r => r.Ok && _h.Runtime.Stats().Any(s => s.RuleId == "new"));
        _h.Write("rules.yaml", "- id: new\n  when: [{ mqtt: go }]\n  then: [{ log: new }]\n");
        await good;

        var bad = NextReload(r => !r.Ok);
        _h.Write("broken.yaml", "- id: broken\n  when: [{ at: \"26:00\" }]\n  then: [pause]\n");
        var failed = await bad;
        Assert.Contains(failed.Errors, e => e.File.EndsWith("broken.yaml", StringComparison.Ordinal) && e.Line == 2);

        var fired = _h.NextTrace("new");
        await _h.PublishAsync("go", "");
        Assert.Equal("done", (await fired).Result);
    }

    private Task<RuleLoadResult> NextReload(Func<RuleLoadResult, bool> match)
    {
        var done = new TaskCompletionSource<RuleLoadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Runtime.Reloaded += r => { if (match(r)) done.TrySetResult(r); };
        return done.Task.WaitAsync(TestTimeouts.Guard);
    }
}

using Microsoft.Extensions.Logging.Abstractions;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>Rules switched off at run time are kept in the data folder, so a restart keeps them off.</summary>
public sealed class RuleSwitchesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-switches-").FullName;
    private string File_ => Path.Combine(_dir, "rule-switches.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_switch_survives_a_restart_and_switching_back_on_forgets_it()
    {
        var switches = new RuleSwitches(File_, NullLogger.Instance);
        Assert.True(await switches.SetAsync("solar-pause", on: false, CancellationToken.None));
        Assert.False(await switches.SetAsync("solar-pause", on: false, CancellationToken.None)); // no change

        var restarted = new RuleSwitches(File_, NullLogger.Instance);
        Assert.True(restarted.IsOff("solar-pause"));
        Assert.False(restarted.IsOff("evening-cap"));
        await restarted.SetAsync("solar-pause", on: true, CancellationToken.None);

        Assert.False(new RuleSwitches(File_, NullLogger.Instance).IsOff("solar-pause"));
    }

    [Fact]
    public void An_unreadable_file_is_ignored_and_every_rule_runs()
    {
        File.WriteAllText(File_, "{ not json");

        Assert.False(new RuleSwitches(File_, NullLogger.Instance).IsOff("solar-pause"));
    }
}

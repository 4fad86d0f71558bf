using BmwWallbox.Charging;
using BmwWallbox.Charging.Strategies;
using BmwWallbox.Core;

namespace BmwWallbox.Simulation.Tests.Runs;

/// <summary>
/// A JavaScript rule and the solar mode both claim every 30 s, often at the same virtual instant. Which
/// claim reaches the controller first must not depend on thread timing: every run of the same input gives
/// the same timeline. (It used to differ in a few minutes of the sunny day from run to run.)
/// </summary>
public sealed class DeterminismRunTests
{
    [Fact]
    public async Task A_script_rule_with_the_solar_mode_gives_the_same_timeline_every_run()
    {
        // Runs side by side, so the parts' threads compete for the cores as on a busy machine.
        var timelines = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(RunSunnyDayAsync)));

        Assert.Contains("mode solar", timelines[0]);
        Assert.Contains("evcc-pv", timelines[0]);
        foreach (var timeline in timelines.Skip(1)) Assert.Equal(timelines[0], timeline);
    }

    private static async Task<string> RunSunnyDayAsync()
    {
        using var h = new SimulationHarness();
        File.Copy(RepoPaths.Of("tests/BmwWallbox.Simulation.Benchmarks/Rules/evcc-pv.yaml"), Path.Combine(h.RulesDir, "evcc-pv.yaml"));
        var setup = h.Setup() with
        {
            Modes = new ModeOptions { Mode = "solar" },
            DerivedSignals = [new DerivedSignalDefinition("surplus", SignalExpression.Parse("-grid_power + charger_power"))],
        };
        var result = await h.RunAsync("sunny-day.csv", setup);
        return await File.ReadAllTextAsync(result.TimelinePath);
    }
}

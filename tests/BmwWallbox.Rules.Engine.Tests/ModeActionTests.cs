using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Loading;
using BmwWallbox.Rules.Engine.Tests.Support;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>The charge mode from rules: the <c>mode:</c> action, <c>wallbox.setMode()</c> and what scripts read of the installation.</summary>
public sealed class ModeActionTests
{
    [Fact]
    public async Task The_mode_action_switches_the_rule_station_and_says_so_in_the_trace()
    {
        var modes = new FakeModes();
        await using var h = new Harness(modes: modes);
        var trace = h.NextTrace("sunny");
        await h.StartAsync("""
            - id: sunny
              when: [startup]
              then:
                - mode: solar
            """);
        var run = await trace;

        Assert.Equal([("cp-1", ChargeMode.Solar, "rule sunny")], modes.Calls);
        var action = Assert.Single(run.Actions);
        Assert.Equal(("mode solar", "Accepted"), (action.Action, action.Outcome));
    }

    [Fact]
    public async Task Scripts_set_the_mode_and_read_the_installation()
    {
        var modes = new FakeModes();
        await using var h = new Harness(modes: modes);
        var trace = h.NextTrace("js");
        await h.StartAsync("""
            - id: js
              when: [startup]
              then:
                - script: |
                    const r = await wallbox.setMode("now");
                    log.info(`${r.ok} ${wallbox.mode} ${wallbox.phases} ${wallbox.voltageNominal} ${wallbox.minCurrent}-${wallbox.maxCurrent}`);
            """);
        var run = await trace;

        Assert.Equal([("cp-1", ChargeMode.Now, "rule js")], modes.Calls);
        Assert.Contains(run.Actions, a => a.Action == "log.info" && a.Message == "true now 1 230 6-16");
    }

    [Fact]
    public void An_unknown_mode_is_reported_with_the_modes_there_are()
    {
        var dir = Directory.CreateTempSubdirectory("bmw-rules-mode-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "r.yaml"), "- id: r\n  when: [startup]\n  then:\n    - mode: sunny\n");
            var error = Assert.Single(RuleSetLoader.Validate(dir, [], ["garage"]));
            Assert.Equal("unknown charge mode 'sunny'; expected one of: off, now, minsolar, solar, plan", error.Message);
            Assert.Equal((4, 13), (error.Line, error.Column));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class FakeModes : IChargeModes
    {
        private ChargeMode _mode = ChargeMode.Solar;
        public List<(string Station, ChargeMode Mode, string Source)> Calls { get; } = [];

        public ChargeMode? ModeOf(string stationIdOrName) => _mode;

        public Installation? InstallationOf(string stationIdOrName) => new(1, 230, 6, 16);

        public Task<ActionResult> SetModeAsync(string stationIdOrName, ChargeMode mode, string source, CancellationToken ct = default)
        {
            Calls.Add((stationIdOrName, mode, source));
            _mode = mode;
            return Task.FromResult(ActionResult.Accepted("mode", $"mode {ChargeModeText.Of(mode)}"));
        }

        public event Action<string, ChargeMode>? ModeChanged;

        public void Raise(string station) => ModeChanged?.Invoke(station, _mode); // keeps the event used
    }
}

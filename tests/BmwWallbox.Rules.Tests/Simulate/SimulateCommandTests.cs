using System.Text.Json;
using BmwWallbox.Rules.Tests.Cli;

namespace BmwWallbox.Rules.Tests.Simulate;

/// <summary>
/// <c>bmw-rules simulate</c> as a user runs it: the built program in its own process (console output
/// stays separate from other tests), in a temp folder with a config, rules and a small CSV.
/// </summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-simulate-verb-").FullName;

    public SimulateCommandTests()
    {
        File.WriteAllText(Path.Combine(_dir, "config.yaml"), """
            ocpp:
              stations:
                - id: "DE*BMW*E123"
                  password: "0123456789abcdef"
                  name: garage
            signals:
              solar_power: { topic: home/solar, stale_after: 5m }
              grid_power: { topic: home/grid, stale_after: 5m }
            rules:
              dir: rules
            time_zone: Europe/Berlin
            """);
        Directory.CreateDirectory(Path.Combine(_dir, "rules"));
        File.Copy(RepoPaths.Of("examples/rules/solar-pause.yaml"), Path.Combine(_dir, "rules", "solar-pause.yaml"));
        // Two hours around the plug-in: bright sun, then the sun fades below 2 kW at 09:30.
        var lines = new List<string> { "timestamp,solar_power,house_power,garden_pump" };
        for (var m = 0; m < 120; m++)
            lines.Add($"2026-06-21 {8 + m / 60:00}:{m % 60:00},{(m < 90 ? 6000 : 1500)},400,");
        File.WriteAllLines(Path.Combine(_dir, "day.csv"), lines);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Simulates_a_day_and_names_the_three_outputs()
    {
        var run = await RunAsync("simulate", "--data", "day.csv", "--out", "result", "--plug-in", "08:00", "--departure", "09:50");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Rules fired         solar-pause ×1", run.Out);
        foreach (var file in new[] { "timeline.csv", "summary.json", "chart.html" })
        {
            var path = Path.Combine(_dir, "result", file);
            Assert.True(File.Exists(path), path);
            Assert.Contains(path, run.Out);
        }
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "result", "summary.json")));
        // 08:00–09:32 at 11 kW (16 A × 3 × 230 V), then the 2-minute for: of the pause has passed.
        Assert.Equal(11.04 * 92 / 60, summary.RootElement.GetProperty("charged_kwh").GetDouble(), 1);
        Assert.Contains("column 'garden_pump' of day.csv is not a signal in config.yaml", run.Err);
    }

    [Fact]
    public async Task Verbose_prints_the_rules_log_at_the_simulated_time()
    {
        var quiet = await RunAsync("simulate", "--data", "day.csv", "--out", "quiet", "--plug-in", "08:00", "--departure", "09:50");
        var run = await RunAsync("simulate", "--data", "day.csv", "--out", "result", "--plug-in", "08:00", "--departure", "09:50", "--verbose");

        Assert.Equal(0, run.ExitCode);
        // The pause at 09:32 (the sun below 2 kW since 09:30, for: 2m), stamped with the day's local time, not today's.
        Assert.Matches(@"(?m)^2026-06-21 09:32:00 INF BmwWallbox\.Rules\.Engine\.RuleRuntime: Rule solar-pause run 1 \(", run.Err);
        Assert.DoesNotContain("Rule solar-pause run", quiet.Err);
        Assert.Contains("Rules fired         solar-pause ×1", run.Out); // the summary as without it
    }

    [Fact]
    public async Task A_missing_data_file_is_a_usage_error()
    {
        var run = await RunAsync("simulate", "--data", "nope.csv");
        Assert.Equal(64, run.ExitCode);
        Assert.Contains("--data nope.csv: file not found", run.Err);
        Assert.False(Directory.Exists(Path.Combine(_dir, "simulation")));
    }

    [Fact]
    public async Task A_bad_line_in_the_data_names_file_line_and_column_and_writes_nothing()
    {
        File.AppendAllText(Path.Combine(_dir, "day.csv"), "2026-06-21 10:00,12kW,400,\n");
        var run = await RunAsync("simulate", "--data", "day.csv");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("day.csv:122: column 'solar_power': '12kW' is not a number", run.Err);
        Assert.False(Directory.Exists(Path.Combine(_dir, "simulation")));
    }

    [Theory]
    [InlineData("--soc", "120", "--soc must be within 0–100 % (is 120)")]
    [InlineData("--plug-in", "8 am", "--plug-in must be a local time HH:MM, e.g. 08:00 (got '8 am')")]
    [InlineData("--phases", "2", "--phases must be 1 or 3 (is 2)")]
    [InlineData("--quirks", "some", "--quirks must be 'all'")]
    [InlineData("--phase-switching", "yes", "--phase-switching must be 'none' (like the BMW box)")]
    [InlineData("--mode", "sunny", "--mode must be one of off, now, minsolar, solar, plan (got 'sunny')")]
    [InlineData("--batery", "60", "unknown option --batery, did you mean --battery?")]
    public async Task A_bad_option_names_the_option_and_what_it_expects(string option, string value, string message)
    {
        var run = await RunAsync("simulate", "--data", "day.csv", option, value);
        Assert.Equal(64, run.ExitCode);
        Assert.Contains(message, run.Err);
    }

    [Fact]
    public async Task Invalid_rules_are_a_config_error_with_file_and_line()
    {
        File.WriteAllText(Path.Combine(_dir, "rules", "broken.yaml"), "- id: broken\n  while: { signal: moon_power, above: 1 }\n  limit: pause\n");
        var run = await RunAsync("simulate", "--data", "day.csv");
        Assert.Equal(78, run.ExitCode);
        Assert.Contains("broken.yaml:2", run.Err);
        Assert.Contains("moon_power", run.Err);
    }

    [Fact]
    public async Task Without_the_configs_rules_folder_it_simulates_without_rules_and_says_so()
    {
        Directory.Delete(Path.Combine(_dir, "rules"), recursive: true);

        var run = await RunAsync("simulate", "--data", "day.csv", "--out", "result", "--plug-in", "08:00", "--departure", "09:50");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("does not exist: simulating without rules", run.Err);
        Assert.Contains("Rules fired         none", run.Out);
    }

    [Fact]
    public async Task A_rules_folder_given_on_the_command_line_must_exist()
    {
        var run = await RunAsync("simulate", "--data", "day.csv", "--rules", "rulez");

        Assert.Equal(78, run.ExitCode);
        Assert.Contains("rulez' does not exist", run.Err);
    }

    [Theory]
    [InlineData("solar", true)]
    [InlineData("minsolar", true)]
    [InlineData("now", false)]
    public async Task A_solar_mode_without_the_surplus_signal_says_why_the_car_charges_anyway(string mode, bool warns)
    {
        // The fixture's config has solar_power and grid_power, no surplus.
        var run = await RunAsync("simulate", "--data", "day.csv", "--out", "result", "--mode", mode);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(warns, run.Err.Contains($"mode {mode} needs the signal 'surplus', which config.yaml does not define"));
    }

    [Fact]
    public async Task An_invalid_config_is_a_config_error()
    {
        File.WriteAllText(Path.Combine(_dir, "config.yaml"), "time_zone: Mars/Olympus_Mons\n");
        var run = await RunAsync("simulate", "--data", "day.csv");
        Assert.Equal(78, run.ExitCode);
        Assert.Contains("unknown time zone 'Mars/Olympus_Mons'", run.Err);
    }

    private async Task<(int ExitCode, string Out, string Err)> RunAsync(params string[] args)
    {
        var result = await BmwRulesProcess.RunAsync(_dir, args);
        return (result.ExitCode, result.Out, result.Err);
    }
}

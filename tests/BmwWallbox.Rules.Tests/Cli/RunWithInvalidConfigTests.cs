namespace BmwWallbox.Rules.Tests.Cli;

/// <summary><c>run</c> with a config that has errors starts nothing and lists them as <c>validate</c> does: in file order.</summary>
public sealed class RunWithInvalidConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-run-invalid-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_lists_every_config_error_in_line_order_and_exits_78()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "rules"));
        File.WriteAllText(Path.Combine(_dir, "config.yaml"), """
            ocpp:
              port: abc
              stations:
                - id: E1
                  password: short
            mqtt:
              bogus: 1
            """);

        var run = await BmwRulesProcess.RunAsync(_dir, "run", "--config", "config.yaml");

        Assert.True(run.ExitCode == 78, $"exit {run.ExitCode}\n{run.All}");
        var errorLines = run.Err.Split('\n').Where(l => l.StartsWith("config.yaml:", StringComparison.Ordinal)).Select(l => int.Parse(l.Split(':')[1])).ToList();
        Assert.Equal([2, 4, 5, 7], errorLines);
        Assert.Contains("config.yaml is not valid; nothing started", run.Err);
        Assert.DoesNotContain("   at ", run.All);
    }
}

namespace BmwWallbox.Rules.Tests.Cli;

/// <summary>A data_dir that cannot be made: the real process names the setting in one line and exits 1, without a stack trace.</summary>
public sealed class DataDirTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-data-dir-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_with_a_data_dir_under_a_file_names_the_setting_and_exits_1()
    {
        File.WriteAllText(Path.Combine(_dir, "not-a-folder"), "");
        File.WriteAllText(Path.Combine(_dir, "config.yaml"), $"""
            data_dir: not-a-folder/data
            ocpp:
              bind: 127.0.0.1
              port: {FreePort.Next()}
              stations: [{"{"} id: "E1", password: "0123456789abcdef", name: garage {"}"}]
            mqtt:
              port: {FreePort.Next()}
            http:
              port: 0
            """);

        var run = await BmwRulesProcess.RunAsync(_dir, "run", "--config", "config.yaml");

        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}\n{run.All}");
        var line = Assert.Single(run.All.Split('\n'), l => l.Contains("cannot start"));
        Assert.Contains($"data_dir '{Path.Combine(_dir, "not-a-folder", "data")}' cannot be created", line);
        Assert.Contains("Set data_dir in config.yaml", line);
        Assert.DoesNotContain("   at ", run.All);
    }
}

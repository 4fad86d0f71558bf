using System.Text.Json;
using BmwWallbox.Rules.Cli;

namespace BmwWallbox.Rules.Tests.Cli;

public class ValidateCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("bmw-validate-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void The_shipped_config_and_rules_are_valid()
    {
        var output = new StringWriter();

        var exit = ValidateCommand.Run(Line("validate", "--config", RepoPaths.Of("config.yaml")), output);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("is valid", output.ToString());
    }

    [Fact]
    public void Every_example_rule_passes_with_the_shipped_signals()
    {
        var config = File.ReadAllText(RepoPaths.Of("config.yaml")).Replace("  dir: rules", $"  dir: {RepoPaths.Of("examples/rules")}");
        var path = Write("config.yaml", config);
        var output = new StringWriter();

        var exit = ValidateCommand.Run(Line("validate", "--config", path), output);

        Assert.True(exit == ExitCodes.Ok, output.ToString());
    }

    [Fact]
    public void A_typo_in_a_rule_and_in_the_config_are_both_listed_with_place_and_hint()
    {
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "rules"));
        Write("rules/pause.yaml", "- id: p\n  while: { signal: solar_powr, below: 2000 }\n  limit: pause\n");
        var path = Write("config.yaml", """
            ocpp:
              stations: [{ id: "E1", password: "0123456789abcdef", name: garage }]
            wallbox:
              max_curent: 16
            signals:
              solar_power: { topic: home/solar }
            """);
        var output = new StringWriter();

        var exit = ValidateCommand.Run(Line("validate", "--config", path, "--json"), output);

        Assert.Equal(ExitCodes.Config, exit);
        var json = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.False(json.GetProperty("valid").GetBoolean());
        var problems = json.GetProperty("problems").EnumerateArray().ToList();
        Assert.Contains(problems, p => p.GetProperty("file").GetString()!.EndsWith("config.yaml") && p.GetProperty("line").GetInt32() == 4
            && p.GetProperty("hint").GetString()!.Contains("max_current"));
        Assert.Contains(problems, p => p.GetProperty("file").GetString()!.EndsWith("pause.yaml") && p.GetProperty("line").GetInt32() == 2
            && p.GetProperty("message").GetString()!.Contains("solar_powr") && p.GetProperty("hint").GetString()!.Contains("solar_power"));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static CommandLine Line(params string[] args) => CommandLine.Parse(args).Line!;
}

using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Rules.Cli;
using BmwWallbox.TestKit.Certificates;

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

    [Fact]
    public void Errors_only_in_rule_files_are_counted_per_file_not_blamed_on_the_config()
    {
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "rules"));
        Write("rules/a.yaml", "- id: a\n  while: { signal: solar_powr, below: 2000 }\n  limit: pause\n- id: b\n  while: { signal: solar_pwer, below: 2000 }\n  limit: pause\n");
        Write("rules/b.yaml", "- id: c\n  while: { signal: moon, below: 1 }\n  limit: pause\n");
        var path = Write("config.yaml", ValidConfig);
        var output = new StringWriter();

        var exit = ValidateCommand.Run(Line("validate", "--config", path), output);

        Assert.Equal(ExitCodes.Config, exit);
        var summary = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        Assert.Equal($"✘ 3 error(s): 2 in {Path.Combine("rules", "a.yaml")}, 1 in {Path.Combine("rules", "b.yaml")}", summary.TrimEnd());
    }

    [Fact]
    public void With_a_relative_config_files_inside_the_current_folder_are_named_relative_to_it_too()
    {
        var elsewhere = Path.Combine(Path.GetTempPath(), "elsewhere", "b.yaml");
        Problem[] found =
        [
            new(Path.Combine(_dir.FullName, "rules", "a.yaml"), 2, 3, "unknown signal"),
            new("config.yaml", 4, 1, "unknown key"),
            new(elsewhere, 1, 1, "unknown trigger"),
        ];

        var problems = ValidateCommand.InFileOrder(found, "config.yaml", _dir.FullName);

        Assert.Equal([elsewhere, "config.yaml", Path.Combine("rules", "a.yaml")], problems.Select(p => p.File));
        Assert.Equal($"{Path.Combine("rules", "a.yaml")}:2:3: error: unknown signal", problems[2].ToString());
        // A config named by its full path: every file by its full path, as the user wrote it.
        var absolute = ValidateCommand.InFileOrder(found, Path.Combine(_dir.FullName, "config.yaml"), _dir.FullName);
        Assert.Contains(absolute, p => p.File == Path.Combine(_dir.FullName, "rules", "a.yaml"));
    }

    [Theory]
    [InlineData("config.yaml", "ocpp:\n  port: 9000\n\tbind: 0.0.0.0\n", 3)]
    [InlineData("rules/tab.yaml", "- id: t\n  every: 2s\n\tactions: []\n", 3)]
    public void A_tab_in_the_indentation_is_reported_on_its_own_line(string file, string yaml, int line)
    {
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "rules"));
        var path = Write("config.yaml", file == "config.yaml" ? yaml : ValidConfig);
        if (file != "config.yaml") Write(file, yaml);
        var output = new StringWriter();

        ValidateCommand.Run(Line("validate", "--config", path, "--json"), output);

        var problem = JsonDocument.Parse(output.ToString()).RootElement.GetProperty("problems").EnumerateArray()
            .Single(p => p.GetProperty("message").GetString()!.Contains("tab character"));
        Assert.EndsWith(Path.GetFileName(file), problem.GetProperty("file").GetString());
        Assert.Equal(line, problem.GetProperty("line").GetInt32());
    }

    [Fact]
    public void A_misspelt_time_zone_gets_a_did_you_mean()
    {
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "rules"));
        var path = Write("config.yaml", ValidConfig + "time_zone: Europe/Berlni\n");
        var output = new StringWriter();

        var exit = ValidateCommand.Run(Line("validate", "--config", path), output);

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Contains("unknown time zone 'Europe/Berlni' (did you mean 'Europe/Berlin'?)", output.ToString());
    }

    [Fact]
    public void The_placeholder_password_of_the_shipped_config_is_valid_but_warned_about_loudly()
    {
        var output = new StringWriter();

        var exit = ValidateCommand.Run(Line("validate", "--config", RepoPaths.Of("config.yaml")), output);

        Assert.Equal(ExitCodes.Ok, exit);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("warning: station 'DE*BMW*E000000' still has the placeholder password"));
        Assert.StartsWith("⚠ WARNING: station 'DE*BMW*E000000' uses the placeholder password", lines.Last());
    }

    [Theory]
    [InlineData("chain and its key", true, true, true, null)]
    [InlineData("no files, development certificate allowed", false, false, true, null)]
    [InlineData("no files, development certificate off", false, false, false, "self_signed: true")]
    [InlineData("the key missing", true, false, true, "privkey.pem' not found")]
    [InlineData("the chain missing", false, true, true, "fullchain.pem' not found")]
    public void The_certificate_files_are_read_as_run_reads_them(string _, bool chain, bool key, bool selfSigned, string? error)
    {
        using var leaf = TestCertificates.Leaf(null, DateTimeOffset.UtcNow, "wallbox.example.com");
        if (chain) Write("fullchain.pem", TestCertificates.Pem(leaf));
        if (key) Write("privkey.pem", TestCertificates.KeyPem(leaf));
        var path = Write("config.yaml", WithTls($"{{ cert: fullchain.pem, key: privkey.pem, self_signed: {(selfSigned ? "true" : "false")} }}"));
        var output = new StringWriter();

        var exit = ValidateCommand.Run(Line("validate", "--config", path), output);

        Assert.True(exit == (error is null ? ExitCodes.Ok : ExitCodes.Config), output.ToString());
        if (error is not null) Assert.Contains(error, output.ToString());
    }

    [Fact]
    public void A_key_of_another_certificate_is_an_error_not_a_surprise_at_start()
    {
        using var leaf = TestCertificates.Leaf(null, DateTimeOffset.UtcNow, "wallbox.example.com");
        using var other = TestCertificates.Leaf(null, DateTimeOffset.UtcNow, "wallbox.example.com");
        Write("fullchain.pem", TestCertificates.Pem(leaf));
        Write("privkey.pem", TestCertificates.KeyPem(other));
        var path = Write("config.yaml", WithTls("{ cert: fullchain.pem, key: privkey.pem }"));
        var output = new StringWriter();

        var exit = ValidateCommand.Run(Line("validate", "--config", path), output);

        Assert.Equal(ExitCodes.Config, exit);
        Assert.Contains("could not be used with the first certificate", output.ToString());
    }

    private static string WithTls(string tls) => ValidConfig.Replace("ocpp:\n", $"ocpp:\n  tls: {tls}\n");

    private const string ValidConfig = """
        ocpp:
          stations: [{ id: "E1", password: "0123456789abcdef", name: garage }]
        signals:
          solar_power: { topic: home/solar }
        rules:
          dir: rules

        """;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static CommandLine Line(params string[] args) => CommandLine.Parse(args).Line!;
}

using BmwWallbox.Rules.Cli;

namespace BmwWallbox.Rules.Tests.Cli;

/// <summary>The command line of the real program: a typo never runs anything, it gets a did-you-mean and exit 64.</summary>
public sealed class VerbsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-verbs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("run --confg x", "run: unknown option --confg, did you mean --config?")]
    [InlineData("doctor --hots x", "doctor: unknown option --hots, did you mean --host?")]
    [InlineData("validate --foo 1", "validate: unknown option --foo.")]
    [InlineData("simulate --data d.csv --batery 60", "simulate: unknown option --batery, did you mean --battery?")]
    [InlineData("demo --sped 10", "demo: unknown option --sped, did you mean --speed?")]
    [InlineData("valdate", ": unknown command 'valdate', did you mean 'validate'?")]
    [InlineData("run config.yaml", "run: unexpected argument 'config.yaml'.")]
    [InlineData("demo --speed", "demo: option --speed needs a value.")]
    public async Task A_typo_is_refused_with_a_hint_and_exit_64_and_starts_nothing(string args, string expected)
    {
        var run = await BmwRulesProcess.RunAsync(_dir, args.Split(' '));

        Assert.True(run.ExitCode == 64, $"exit {run.ExitCode}\n{run.All}");
        Assert.Equal("", run.Out);
        var line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"bmw-rules{(expected.StartsWith(':') ? "" : " ")}{expected}", line);
        Assert.Contains("--help", line);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("doctor --help")]
    [InlineData("simulate -h")]
    public async Task Help_lists_the_options_and_exits_0(string args)
    {
        var run = await BmwRulesProcess.RunAsync(_dir, args.Split(' '));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Out);
        Assert.Contains(args.StartsWith("--") ? "validate" : "--config", run.Out);
    }

    [Fact]
    public async Task No_command_shows_the_overview_and_exits_64()
    {
        var run = await BmwRulesProcess.RunAsync(_dir);

        Assert.Equal(64, run.ExitCode);
        Assert.Contains("doctor", run.Out);
    }

    [Fact]
    public void Values_flags_and_the_equals_form_are_read()
    {
        var (line, error) = CommandLine.Parse(["doctor", "--config=my.yaml", "--host", "box.example.com", "--json"]);

        Assert.Null(error);
        Assert.Equal("doctor", line!.Verb);
        Assert.Equal("my.yaml", line.Config);
        Assert.Equal("box.example.com", line.Get("host"));
        Assert.True(line.Has("json"));
    }
}

using System.Text.RegularExpressions;
using BmwWallbox.Rules.Cli;

namespace BmwWallbox.Rules.Tests.Cli;

/// <summary>
/// The README names every command and every option `--help` shows: a verb or option added to the command line and
/// not to the README fails here.
/// </summary>
public sealed class CommandReferenceTests
{
    public static TheoryData<string, string> Options()
    {
        var options = new TheoryData<string, string>();
        foreach (var verb in Verbs.Parse([]).RootCommandResult.Command.Subcommands)
            foreach (var option in verb.Options.Where(o => !o.Hidden && o.Name.StartsWith("--", StringComparison.Ordinal) && o.Name is not ("--help" or "--config")))
                options.Add(verb.Name, option.Name);
        return options;
    }

    [Fact]
    public void Every_command_is_in_the_commands_table()
    {
        var verbs = Verbs.Parse([]).RootCommandResult.Command.Subcommands.Select(v => v.Name).ToList();
        Assert.NotEmpty(verbs);
        Assert.DoesNotContain(verbs, v => !ReadmeText.All.Contains($"| `bmw-rules {v}", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void Every_option_is_in_the_readme(string verb, string option)
    {
        Assert.True(Regex.IsMatch(ReadmeText.All, $@"(?<![\w-]){Regex.Escape(option)}(?![\w-])"), $"bmw-rules {verb} {option} is not in the README");
    }
}

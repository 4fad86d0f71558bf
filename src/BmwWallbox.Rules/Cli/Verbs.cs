using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using BmwWallbox.Core;

namespace BmwWallbox.Rules.Cli;

/// <summary>
/// The verbs of bmw-rules, their options and help, parsed by System.CommandLine (help, errors,
/// <c>dotnet-suggest</c> completion). A typo never runs anything: every unknown option or argument
/// is refused with a did-you-mean and exit code 64.
/// </summary>
internal static class Verbs
{
    private sealed record Verb(string Name, string Summary, string Details, Option[] Options, Func<CommandLine, CancellationToken, Task<int>> Run);

    private static Option<string> Value(string name, string helpName, string description, bool hidden = false) =>
        new("--" + name) { HelpName = helpName, Description = description, Hidden = hidden };

    private static Option<bool> Flag(string name, string description) => new("--" + name) { Description = description, Arity = ArgumentArity.Zero };

    private static Option<string> Config() => Value("config", "FILE", "config.yaml to read (default: ./config.yaml)");

    private static readonly Verb[] All =
    [
        new("run", "start the server (the daemon)",
            """
            Starts the OCPP server the wallbox connects to, the MQTT bridge and the rules.
            Stops cleanly on Ctrl+C / SIGTERM.
            Exit codes: 0 stopped cleanly, 1 failed while running (e.g. a port is taken), 64 bad command line, 78 invalid config.
            """,
            [Config()],
            RunCommand.RunAsync),
        new("validate", "check config and rules, list every problem",
            """
            Checks config.yaml and every rule file; prints each problem as file:line:column with a hint.
            Exit code 0 only when everything is valid (warnings allowed), 64 bad command line, 78 otherwise.
            """,
            [Config(), Flag("json", "machine-readable output")],
            ValidateCommand.RunAsync),
        new("doctor", "find out why the wallbox does not connect, update or obey",
            """
            Walks the usual problems in order (config, TLS certificate, port, station URLs, loopback probe,
            live state of the running instance, rules) and prints ✔ / ⚠ / ✘ with a fix for each.
            Exit code 0 when nothing is ✘, 1 otherwise, 64 bad command line.
            """,
            [Config(), Value("host", "NAME", "the host name you type into the wallbox's installer app (checked against the certificate)"),
             Flag("json", "machine-readable output")],
            DoctorCommand.RunAsync),
        new("simulate", "replay recorded signals against your rules, with a chart",
            SimulateCommand.Details,
            [Config(), .. SimulateCommand.Options.Select(o => Value(o.Name, o.HelpName, o.Description)),
             Flag("verbose", "the rules' log (runs, log actions, errors) and all warnings on stderr, at simulated time")],
            SimulateCommand.RunAsync),
        new("sessions", "list the charging history: energy, solar share, cost",
            SessionsCommand.Details,
            [Config(), Flag("csv", "comma-separated values, one line per session"), Flag("json", "machine-readable output"),
             Value("from", "DATE", "sessions started on or after this day (yyyy-MM-dd)"),
             Value("to", "DATE", "sessions started on or before this day (yyyy-MM-dd)"),
             Value("station", "NAME", "only this station (name or id)")],
            SessionsCommand.RunAsync),
        new("stations", "list unknown stations waiting for approval; approve, reject or forget one",
            StationsCommand.Details,
            [Config(), Value("approve", "ID", "serve this station from the next start"), Value("reject", "ID", "refuse this station (404) from now on"),
             Value("forget", "ID", "remove this station from the list"), Flag("json", "machine-readable output")],
            StationsCommand.RunAsync),
        new("demo", "watch the example rules drive a simulated BMW box",
            DemoCommand.Details,
            [.. DemoCommand.Options.Select(o => Value(o.Name, o.HelpName, o.Description)),
             Flag("verbose", "the daemon's log (Information) on stderr; default: warnings only"),
             Flag("no-color", "no highlighting of rule lines (also off when NO_COLOR is set or stdout is not a terminal)"),
             // Declared so that DemoOptions can say why it is refused instead of a bare "unknown option".
             Value("config", "FILE", "not used: demo builds its own config", hidden: true)],
            DemoCommand.RunAsync),
    ];

    private static readonly RootCommand Root = Build();

    /// <summary>Parses and runs a command line; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var parsed = Parse(args);
        if (Problem(parsed) is { } problem)
        {
            var verb = parsed.CommandResult.Command is RootCommand ? "" : " " + parsed.CommandResult.Command.Name;
            Console.Error.WriteLine($"bmw-rules{verb}: {problem}{(problem.EndsWith('?') ? "" : ".")} See 'bmw-rules{verb} --help'.");
            return ExitCodes.Usage;
        }
        // ProcessTerminationTimeout = null: Ctrl+C and SIGTERM stay with the verbs (the daemon needs its own shutdown time).
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, ct);
    }

    internal static ParseResult Parse(string[] args) =>
        Root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>The first thing wrong with the command line, for the user; null when it is fine.</summary>
    internal static string? Problem(ParseResult parsed)
    {
        if (parsed.Errors.Count == 0) return null;
        var command = parsed.CommandResult.Command;
        if (parsed.UnmatchedTokens.FirstOrDefault() is { } token)
        {
            if (token.StartsWith('-'))
            {
                var name = token.TrimStart('-').Split('=', ':')[0];
                var near = NearestName.Find(name, command.Options.Where(o => !o.Hidden && o.Name.StartsWith("--", StringComparison.Ordinal)).Select(o => o.Name[2..]));
                return $"unknown option --{name}{(near is null ? "" : $", did you mean --{near}?")}";
            }
            if (command is RootCommand)
            {
                var near = NearestName.Find(token, All.Select(v => v.Name));
                return $"unknown command '{token}'{(near is null ? "" : $", did you mean '{near}'?")}";
            }
            return $"unexpected argument '{token}'";
        }
        var error = parsed.Errors[0];
        return error.SymbolResult is OptionResult { Tokens.Count: 0 } option
            ? $"option {option.Option.Name} needs a value"
            : error.Message.TrimEnd('.');
    }

    /// <summary>The values of the options given to the parsed verb, by name without the dashes.</summary>
    internal static CommandLine ToLine(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in command.Options)
        {
            if (parsed.GetResult(option) is not { Implicit: false }) continue;
            var name = option.Name.TrimStart('-');
            if (option is Option<bool> flag) { if (parsed.GetValue(flag)) flags.Add(name); }
            else if (option is Option<string> value && parsed.GetValue(value) is { } text) options[name] = text;
        }
        return new CommandLine(command is RootCommand ? "" : command.Name, options, flags);
    }

    private static RootCommand Build()
    {
        var root = new RootCommand("A local OCPP 2.0.1 backend (CSMS) and rules engine for the BMW Wallbox.");
        foreach (var verb in All)
        {
            var command = new Command(verb.Name, verb.Summary);
            foreach (var option in verb.Options) command.Options.Add(option);
            command.SetAction((parsed, ct) => verb.Run(ToLine(parsed), ct));
            root.Subcommands.Add(command);
        }
        // No verb: the overview, and 64 (a script that forgot the verb should not look successful).
        root.SetAction(parsed =>
        {
            new HelpAction().Invoke(parsed);
            return ExitCodes.Usage;
        });
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithDetails(help.Action!, All.ToDictionary(v => v.Name, v => v.Details));
        return root;
    }

    /// <summary>The generated help (usage, options), then the verb's longer explanation and exit codes.</summary>
    private sealed class HelpWithDetails(CommandLineAction standard, Dictionary<string, string> details) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parsed)
        {
            var exit = standard is SynchronousCommandLineAction sync ? sync.Invoke(parsed) : ExitCodes.Ok;
            if (parsed.CommandResult.Command is not RootCommand && details.TryGetValue(parsed.CommandResult.Command.Name, out var text))
                parsed.InvocationConfiguration.Output.WriteLine(text.TrimEnd() + Environment.NewLine);
            return exit;
        }
    }
}

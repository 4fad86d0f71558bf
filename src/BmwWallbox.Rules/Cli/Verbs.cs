using BmwWallbox.Core;

namespace BmwWallbox.Rules.Cli;

/// <summary>The verbs of bmw-rules and their help texts.</summary>
public static class Verbs
{
    private sealed record Verb(string Name, string Summary, string Help, Func<CommandLine, CancellationToken, Task<int>> Run);

    private static readonly Verb[] All =
    [
        new("run", "start the server (the daemon)",
            """
            Usage: bmw-rules run [--config config.yaml]

            Starts the OCPP server the wallbox connects to, the MQTT bridge and the rules.
            Stops cleanly on Ctrl+C / SIGTERM.
            Exit codes: 0 stopped cleanly, 1 failed while running, 64 bad command line, 78 invalid config.
            """,
            RunCommand.RunAsync),
        new("validate", "check config and rules, list every problem",
            """
            Usage: bmw-rules validate [--config config.yaml] [--json]

            Checks config.yaml and every rule file; prints each problem as file:line:column with a hint.
            Exit code 0 only when everything is valid (warnings allowed), 78 otherwise.
            """,
            ValidateCommand.RunAsync),
        new("doctor", "find out why the wallbox does not connect, update or obey",
            """
            Usage: bmw-rules doctor [--config config.yaml] [--host NAME] [--json]

            Walks the usual problems in order (config, TLS certificate, port, station URLs, handshake,
            live state of the running instance, rules) and prints ✔ / ⚠ / ✘ with a fix for each.
            --host   the host name you type into the wallbox's installer app (checked against the certificate)
            --json   machine-readable output
            Exit code 0 when nothing is ✘, 1 otherwise.
            """,
            DoctorCommand.RunAsync),
        new("simulate", "replay recorded signals against your rules, with a chart",
            SimulateCommand.Help,
            SimulateCommand.RunAsync),
        new("demo", "watch the example rules drive a simulated BMW box",
            DemoCommand.Help,
            DemoCommand.RunAsync),
    ];

    public static async Task<int> RunAsync(CommandLine line, CancellationToken ct)
    {
        if (line.Has("version"))
        {
            Console.WriteLine(typeof(Verbs).Assembly.GetName().Version);
            return ExitCodes.Ok;
        }
        if (line.Verb.Length == 0)
        {
            Console.WriteLine(Overview());
            return line.Has("help") ? ExitCodes.Ok : ExitCodes.Usage;
        }
        var verb = All.FirstOrDefault(v => v.Name == line.Verb);
        if (verb is null)
        {
            var near = NearestName.Find(line.Verb, All.Select(v => v.Name));
            Console.Error.WriteLine($"bmw-rules: unknown command '{line.Verb}'{(near is null ? "" : $", did you mean '{near}'?")}");
            Console.Error.WriteLine(Overview());
            return ExitCodes.Usage;
        }
        if (line.Has("help"))
        {
            Console.WriteLine(verb.Help);
            return ExitCodes.Ok;
        }
        return await verb.Run(line, ct);
    }

    private static string Overview() =>
        "Usage: bmw-rules <command> [options]\n\nCommands:\n"
        + string.Concat(All.Select(v => $"  {v.Name,-10} {v.Summary}\n"))
        + "\nRun 'bmw-rules <command> --help' for the options of a command.";
}

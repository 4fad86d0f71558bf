using System.Text;
using BmwWallbox.Rules.Demo;
using BmwWallbox.Rules.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace BmwWallbox.Rules.Cli;

/// <summary><c>bmw-rules demo</c>: the whole system on a simulated BMW box through a compressed solar day, nothing to install.</summary>
internal static class DemoCommand
{
    internal const string Details =
        """
        Nothing to install or configure. Starts the daemon (embedded MQTT broker, generated self-signed
        certificate, in-memory config, temp folder) and a simulated BMW wallbox that connects to it over wss
        with a car plugged in, plays a synthetic sunny day as solar_power over MQTT, and shows live what the
        example rules (solar-pause, evening-cap) do: the limit, who set it, what the box applies, the car's power.
        Exit codes: 0 stopped cleanly, 1 failed (e.g. a port is taken), 64 bad command line.
        """;

    internal static readonly OptionHelp[] Options =
    [
        new("speed", "N", "virtual seconds per real second (default 360: a day in 4 minutes; 1-20000)"),
        new("start", "HH:MM", "time of day to start at (default 06:00: paused at dawn, resumed as the sun rises)"),
        new("duration", "D", "stop after this much real time (e.g. 90s, 5m); default: run until Ctrl+C"),
        new("days", "N", "stop after N virtual days (e.g. 1)"),
        new("port", "N", "OCPP port on 127.0.0.1 (default: any free port)"),
        new("mqtt-port", "N", "embedded MQTT broker port on 127.0.0.1 (default: any free port)"),
    ];

    public static async Task<int> RunAsync(CommandLine line, CancellationToken ct)
    {
        var (options, error) = DemoOptions.Parse(line);
        if (options is null)
        {
            Console.Error.WriteLine($"bmw-rules demo: {error}. See 'bmw-rules demo --help'.");
            return ExitCodes.Usage;
        }
        Console.OutputEncoding = Encoding.UTF8;
        options = options with { Color = !line.Has("no-color") && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null };
        var level = new LoggingLevelSwitch(options.Verbose ? LogEventLevel.Information : LogEventLevel.Warning);
        using var loggers = new SerilogLoggerFactory(CreateLogger(level, options.Verbose), dispose: true);
        var run = new DemoRun(options, Console.Out, loggers);
        // Tearing down its own box mid-conversation makes the daemon warn ("not connected"); not news for the user.
        if (!options.Verbose) run.Stopping += () => level.MinimumLevel = LogEventLevel.Error;
        return await run.RunAsync(ct);
    }

    /// <summary>Daemon logs go to stderr so stdout stays the live table.</summary>
    private static Serilog.ILogger CreateLogger(LoggingLevelSwitch level, bool verbose)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.ControlledBy(level)
            .HideHostStartFailures()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System", LogEventLevel.Warning)
            .Enrich.With<ControlCharacterEscaper>()
            .WriteTo.Console(
                outputTemplate: Logging.OutputTemplate,
                standardErrorFromLevel: LogEventLevel.Verbose);
        // The self-signed certificate is the point of the demo; its warning is for real installations.
        if (!verbose) config.MinimumLevel.Override("BmwWallbox.Ocpp.Tls", LogEventLevel.Error);
        // The demo shows the example rules, with no surplus signal on purpose: the solar mode's "no surplus" warning is for real installations.
        if (!verbose) config.MinimumLevel.Override("BmwWallbox.Charging.Strategies.ChargeModes", LogEventLevel.Error);
        return config.CreateLogger();
    }
}

using BmwWallbox.Rules.Configuration;
using Serilog;
using Serilog.Events;

namespace BmwWallbox.Rules.Hosting;

/// <summary>Serilog from the <c>logging:</c> section: one console sink, levels per source.</summary>
internal static class Logging
{
    internal const string OutputTemplate = "{Timestamp:HH:mm:ss} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static Serilog.ILogger Create(LoggingOptions options) =>
        Configure(options).WriteTo.Console(outputTemplate: OutputTemplate).CreateLogger();

    /// <summary>Levels and escaping of the daemon's log, without a sink.</summary>
    internal static LoggerConfiguration Configure(LoggingOptions options)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(Parse(options.Level))
            .Enrich.FromLogContext()
            .HideHostStartFailures()
            .Enrich.With<ControlCharacterEscaper>();
        // Framework chatter (Kestrel, hosting) only when it matters, unless configured otherwise.
        config.MinimumLevel.Override("Microsoft", LogEventLevel.Warning);
        config.MinimumLevel.Override("System", LogEventLevel.Warning);
        foreach (var (source, level) in options.Overrides)
            config.MinimumLevel.Override(source, Parse(level));
        return config;
    }

    /// <summary>
    /// The hosts (ours and the OCPP server's Kestrel) log a failed start with the whole stack trace;
    /// the command that started them reports the same failure as one line (e.g. who holds the port).
    /// </summary>
    public static LoggerConfiguration HideHostStartFailures(this LoggerConfiguration config) =>
        config.Filter.ByExcluding(e => e.MessageTemplate.Text == "Hosting failed to start");

    private static LogEventLevel Parse(string level) =>
        Enum.TryParse<LogEventLevel>(level, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
}

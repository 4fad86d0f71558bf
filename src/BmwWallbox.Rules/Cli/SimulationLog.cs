using BmwWallbox.Rules.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace BmwWallbox.Rules.Cli;

/// <summary>
/// <c>simulate --verbose</c>: the rules' log (each run, <c>log</c> actions, script errors) and every part's warnings on
/// stderr, stamped with the simulated local time: what the daemon's log would have said on that day.
/// </summary>
internal static class SimulationLog
{
    private const string Template = "{VirtualTime} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static Func<TimeProvider, ILoggerFactory> For(TimeZoneInfo zone) => clock => new SerilogLoggerFactory(
        new LoggerConfiguration()
            .MinimumLevel.Warning()
            .MinimumLevel.Override("BmwWallbox.Rules.Engine", LogEventLevel.Information)
            .Enrich.With(new VirtualTime(clock, zone))
            .Enrich.With<ControlCharacterEscaper>()
            .WriteTo.Console(outputTemplate: Template, standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger(),
        dispose: true);

    private sealed class VirtualTime(TimeProvider clock, TimeZoneInfo zone) : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory factory) =>
            logEvent.AddPropertyIfAbsent(factory.CreateProperty("VirtualTime",
                TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)));
    }
}

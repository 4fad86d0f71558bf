using BmwWallbox.Ocpp;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Rules.Hosting;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Display;

namespace BmwWallbox.Rules.Tests.Hosting;

/// <summary>Text from outside reaches the daemon's log escaped: it cannot forge lines.</summary>
public sealed class LogEscapingTests
{
    [Fact]
    public async Task A_url_with_an_encoded_newline_cannot_forge_a_log_line()
    {
        var output = new StringWriter();
        var logger = Logging.Configure(new LoggingOptions()).WriteTo.Sink(new WriterSink(output, Logging.OutputTemplate)).CreateLogger();
        using var loggers = new SerilogLoggerFactory(logger, dispose: true);
        var options = new OcppOptions
        {
            Port = 0,
            Bind = "127.0.0.1",
            AllowInsecure = true,
            Stations = [new StationOptions { Id = "DE*BMW*LOG", Password = "log-test-password-0123", Name = "garage" }],
        };
        await using var server = new OcppServer(options, null, loggers, TimeProvider.System);
        await server.StartAsync(CancellationToken.None);

        using var http = new HttpClient();
        var response = await http.GetAsync($"http://127.0.0.1:{server.Ports[0]}/x%0A12:00:00%20INF%20BmwWallbox.Forged:%20box%20rebooted");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        var lines = output.ToString().Split(Environment.NewLine);
        Assert.DoesNotContain(lines, line => line.StartsWith("12:00:00 INF BmwWallbox.Forged", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains(@"unknown station x\n12:00:00 INF BmwWallbox.Forged", StringComparison.Ordinal));
    }

    [Fact]
    public void Station_fields_with_control_characters_stay_on_one_line()
    {
        var output = new StringWriter();
        var logger = Logging.Configure(new LoggingOptions()).WriteTo.Sink(new WriterSink(output, "{Message:lj}{NewLine}")).CreateLogger();
        using var loggers = new SerilogLoggerFactory(logger, dispose: true);

        loggers.CreateLogger("test").LogInformation("booted: {Vendor} {Model} {@Info}",
            "BMW\r\nFAKE", "\u001b[31mred\ttab", new { Serial = "1\n2" });

        Assert.Equal(@"booted: BMW\r\nFAKE \u001b[31mred\ttab {""Serial"":""1\n2""}" + Environment.NewLine, output.ToString());
    }

    /// <summary>The console sink's rendering, into a string.</summary>
    private sealed class WriterSink(TextWriter output, string template) : ILogEventSink
    {
        private readonly MessageTemplateTextFormatter _formatter = new(template);

        public void Emit(LogEvent logEvent) => _formatter.Format(logEvent, output);
    }
}

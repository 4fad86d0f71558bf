using BmwWallbox.Core;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Rules.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace BmwWallbox.Rules.Cli;

/// <summary><c>bmw-rules run</c>: the daemon.</summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(CommandLine line, CancellationToken ct)
    {
        var config = ConfigLoader.Load(line.Config);
        var problems = ValidateCommand.InFileOrder(config.Ok ? config.Problems.Concat(RuleValidation.Check(config)) : config.Problems, line.Config);
        foreach (var p in problems.Where(p => p.Severity == Severity.Warning)) Console.Error.WriteLine(p);
        if (!config.Ok)
        {
            foreach (var p in problems.Where(p => p.Severity == Severity.Error)) Console.Error.WriteLine(p);
            Console.Error.WriteLine($"bmw-rules: {line.Config} is not valid; nothing started. Fix the lines above ('bmw-rules validate' shows them again).");
            return ExitCodes.Config;
        }

        var logger = Logging.Create(config.Config!.Logging);
        foreach (var warning in ValidateCommand.PlaceholderPasswordWarnings(config)) logger.ForContext("SourceContext", "bmw-rules").Warning("{Warning:l}", warning);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSerilog(logger, dispose: true);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton<DaemonService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DaemonService>());
        // Longer than ocpp.command_timeout, so a command in flight can finish on SIGTERM.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = config.Config.Ocpp.CommandTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<IHostLifetime, Microsoft.Extensions.Hosting.Internal.ConsoleLifetime>();
        using var host = builder.Build();
        var daemon = host.Services.GetRequiredService<DaemonService>(); // before RunAsync, which disposes the services
        try
        {
            await host.RunAsync(ct);
            return daemon.ReloadFailed ? ExitCodes.Failure : ExitCodes.Ok;
        }
        catch (Exception) when (daemon.StartFailure is { } failure)
        {
            // One line, no stack trace: the message says what is wrong and what to do (systemd restarts would not help).
            Console.Error.WriteLine($"bmw-rules: cannot start: {failure.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }
}

using BmwWallbox.Rules.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Hosting;

/// <summary>Runs the <see cref="Daemon"/> inside the Generic Host (which handles SIGINT/SIGTERM).</summary>
internal sealed class DaemonService(ConfigResult config, ILoggerFactory loggers, ILogger<DaemonService> logger) : IHostedService
{
    private Daemon? _daemon;

    /// <summary>Why start-up failed, for the exit code; null when it did not.</summary>
    public Exception? StartFailure { get; private set; }

    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            _daemon = await Daemon.StartAsync(config, loggers, TimeProvider.System, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            StartFailure = e;
            throw;
        }
        StartupSummary.Log(_daemon, logger);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_daemon is null) return;
        logger.LogInformation("Stopping: finishing commands in flight, publishing offline");
        await _daemon.StopAsync(ct);
        await _daemon.DisposeAsync();
        logger.LogInformation("Stopped cleanly");
    }
}

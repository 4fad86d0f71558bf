using BmwWallbox.Rules.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Hosting;

/// <summary>Runs the <see cref="Daemon"/> (as a <see cref="LiveDaemon"/>, which follows approvals) inside the Generic Host (which handles SIGINT/SIGTERM).</summary>
internal sealed class DaemonService(ConfigResult config, ILoggerFactory loggers, ILogger<DaemonService> logger, IHostApplicationLifetime lifetime) : IHostedService
{
    private LiveDaemon? _daemon;

    /// <summary>True when the daemon stopped because it could not start again after a station change (the exit code says so).</summary>
    public bool ReloadFailed { get; private set; }

    /// <summary>Why start-up failed, for the exit code; null when it did not.</summary>
    public Exception? StartFailure { get; private set; }

    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            _daemon = await LiveDaemon.StartAsync(config, loggers, TimeProvider.System, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            StartFailure = e;
            throw;
        }
        StartupSummary.Log(_daemon.Current, logger);
        _daemon.Reloaded += next =>
        {
            if (next is not null) return;
            ReloadFailed = true;
            lifetime.StopApplication();
        };
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

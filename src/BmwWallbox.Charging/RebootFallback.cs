using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging;

/// <summary>
/// Rebooting the box (<c>Reset</c> Immediate, about a minute): the last resort when it refuses
/// what it must accept (profiles after SuspendedEVSE or Faulted, quirk 7; a remote start in
/// Finishing, quirk 10), and the reboot a person asks for. Rate-limited and switchable off;
/// knows whether the box is rebooting now. Used from the controller's worker only.
/// </summary>
internal sealed class RebootFallback : IAsyncDisposable
{
    private readonly string _stationId;
    private readonly WallboxCommands _commands;
    private readonly WallboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ITimer _rebootOverTimer;
    private DateTimeOffset? _lastRebootAt;

    public RebootFallback(string stationId, WallboxCommands commands, WallboxOptions options, TimeProvider time, ILogger log,
        TimerOnWorker timerOnWorker)
    {
        _stationId = stationId;
        _commands = commands;
        _options = options;
        _time = time;
        _log = log;
        // A box that does not boot again in time is taken as not rebooting any more.
        _rebootOverTimer = timerOnWorker(_ =>
        {
            Rebooting = false;
            return Task.CompletedTask;
        });
    }

    /// <summary>True from an accepted Reset until the box boots or <see cref="WallboxOptions.RebootTimeout"/> passes.</summary>
    public bool Rebooting { get; private set; }

    /// <summary>The box booted: the reboot is over.</summary>
    public void Booted()
    {
        Rebooting = false;
        _rebootOverTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Why a reboot may not happen now, or null when it may.</summary>
    public string? Refusal()
    {
        if (!_options.AllowReboot) return "reboots are switched off (wallbox.allow_reboot = false)";
        if (_lastRebootAt is { } last && _time.GetUtcNow() - last < _options.RebootMinInterval)
        {
            var ago = _time.GetUtcNow() - last;
            return $"last reboot {Math.Floor(ago.TotalMinutes)} min ago; at most one per {_options.RebootMinInterval.TotalMinutes} min (wallbox.reboot_min_interval)";
        }
        return null;
    }

    /// <summary>Reboot as the last resort, if allowed now. Returns text for the result.</summary>
    public async Task<string> LastResortAsync(string why, CancellationToken stop)
    {
        if (Refusal() is { } refusal)
        {
            _log.LogWarning("{StationId}: {Why}; no reboot fallback: {Refusal}", _stationId, why, refusal);
            return $"; no reboot: {refusal}";
        }
        _log.LogWarning("{StationId}: {Why}; rebooting the wallbox as the last resort", _stationId, why);
        var reset = await ResetAsync(stop);
        return reset.IsAccepted ? "; rebooting the wallbox (last resort)" : $"; reboot as last resort failed: {reset}";
    }

    /// <summary>Send the Reset (the caller has checked <see cref="Refusal"/>).</summary>
    public async Task<LinkResult> ResetAsync(CancellationToken stop)
    {
        var sentAt = _time.GetUtcNow();
        var answer = await _commands.ResetImmediateAsync(stop);
        // Every Reset that may have reached the box counts: one that timed out may well have rebooted it.
        if (answer.Outcome is not (LinkOutcome.NotConnected or LinkOutcome.Rejected)) _lastRebootAt = sentAt;
        if (answer.IsAccepted)
        {
            Rebooting = true;
            _rebootOverTimer.Change(_options.RebootTimeout, Timeout.InfiniteTimeSpan);
        }
        return answer;
    }

    public ValueTask DisposeAsync() => _rebootOverTimer.DisposeAsync();
}

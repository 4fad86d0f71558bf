using BmwWallbox.Core;
using BmwWallbox.Ocpp;
using BmwWallbox.Rules.Configuration;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Hosting;

/// <summary>
/// The daemon as <c>run</c> keeps it: a <see cref="Daemon"/> that follows a person's decisions on unknown stations
/// (data_dir/stations.json, changed by <c>bmw-rules stations</c> or over MQTT) without a restart by hand.
/// When the stations to serve change (one approved, or a served one rejected or forgotten), the daemon is rebuilt in place:
/// stopped as on SIGTERM and started again with the new list, so the new station gets its controller, MQTT topics,
/// Home Assistant entities, history and rules exactly as a configured one does at start. Every part is built for the
/// stations it starts with, so this is the one path that cannot leave a part half-informed; the price is that every
/// connected box reconnects (the BMW box within seconds to a minute), and claims and modes come back from data_dir.
/// A rejected or forgotten station that is waiting is disconnected at once, without a rebuild.
/// </summary>
internal sealed class LiveDaemon : IAsyncDisposable
{
    /// <summary>stations.json is read once it has been quiet this long (a burst of writes is one check), and polled this often.</summary>
    private static readonly TimeSpan ApprovalDebounce = TimeSpan.FromSeconds(1), ApprovalPoll = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan[] RestartRetries = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10)];
    private readonly ConfigResult _config;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly DebouncedFileWatch? _watch;
    private Daemon? _current;
    private bool _stopped;

    private LiveDaemon(ConfigResult config, Daemon first, ILoggerFactory loggers, TimeProvider time)
    {
        _config = config;
        _loggers = loggers;
        _time = time;
        _log = loggers.CreateLogger<LiveDaemon>();
        _current = first;
        if (first.Approvals is { } approvals)
        {
            // The name with '*': AtomicFile writes stations.json.tmp and renames it over stations.json.
            var file = Path.GetFullPath(approvals.FilePath);
            _watch = new DebouncedFileWatch(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*", ApprovalDebounce, () => _ = CheckAsync(), time, poll: ApprovalPoll);
            if (_watch.Problem is { } problem)
                _log.LogWarning("Cannot watch {File} ({Problem}): approvals are noticed within {Seconds} s instead of at once", file, problem, (int)ApprovalPoll.TotalSeconds);
            approvals.Changed += _watch.Poke;
        }
    }

    /// <summary>The daemon serving now; another one after a rebuild.</summary>
    public Daemon Current => Volatile.Read(ref _current) ?? throw new InvalidOperationException("The daemon could not be started again; see the log");

    /// <summary>Raised after a rebuild with the new daemon, or with null when it could not start again (then the process should end).</summary>
    public event Action<Daemon?>? Reloaded;

    public static async Task<LiveDaemon> StartAsync(ConfigResult config, ILoggerFactory loggers, TimeProvider time, CancellationToken ct)
        => new(config, await Daemon.StartAsync(config, loggers, time, ct), loggers, time);

    /// <summary>
    /// Reads stations.json and acts: rebuilds when the stations to serve changed, disconnects waiting stations a person
    /// rejected or forgot. Called by the watch after a change; safe to call any time (tests call it to not wait for the watch).
    /// </summary>
    public async Task CheckAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_stopped || Volatile.Read(ref _current) is not { Approvals: { } approvals } daemon) return;
            IReadOnlyList<UnknownStation> all;
            HashSet<string> wanted;
            try
            {
                all = approvals.All;
                wanted = ApprovedStations.Merge(_config, approvals).Config!.Ocpp.Stations.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                _log.LogError("Stations file not read, nothing changed: {Problem}", e.Message);
                return;
            }
            var served = daemon.Server.Stations.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            if (!served.SetEquals(wanted))
            {
                await RebuildAsync(daemon, added: wanted.Except(served).ToList(), removed: served.Except(wanted).ToList());
                return;
            }
            foreach (var id in daemon.Server.PendingConnected)
            {
                var status = all.FirstOrDefault(s => s.Id == id)?.Status;
                if (status is ApprovalStatus.Pending or ApprovalStatus.Approved) continue;
                _log.LogInformation("Unknown station {StationId} {Decision} by a person: closing its connection", id, status is null ? "forgotten" : "rejected");
                await daemon.Server.ClosePendingAsync(id, status is null ? "Forgotten" : "Rejected");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RebuildAsync(Daemon old, IReadOnlyList<string> added, IReadOnlyList<string> removed)
    {
        _log.LogWarning("Stations to serve changed in {File} (new: {Added}; no longer: {Removed}): restarting the daemon in place, connected boxes reconnect",
            old.Approvals!.FilePath, added.Count == 0 ? "none" : string.Join(", ", added), removed.Count == 0 ? "none" : string.Join(", ", removed));
        old.Approvals.Changed -= _watch!.Poke;
        Volatile.Write(ref _current, null);
        await old.StopAsync(CancellationToken.None);
        await old.DisposeAsync();
        Daemon? next = null;
        for (var attempt = 0; next is null; attempt++)
        {
            try
            {
                next = await Daemon.StartAsync(_config, _loggers, _time, CancellationToken.None);
            }
            catch (Exception e) when (attempt < RestartRetries.Length)
            {
                // The ports were ours a moment ago; a socket still closing can hold one briefly.
                _log.LogWarning("Restart after the station change failed ({Problem}); trying again in {Seconds} s", e.Message, RestartRetries[attempt].TotalSeconds);
                await Task.Delay(RestartRetries[attempt], _time);
            }
            catch (Exception e)
            {
                _log.LogCritical("The daemon could not start again after the station change: {Problem}. Stopping; start bmw-rules again once it is fixed", e.Message);
                Reloaded?.Invoke(null);
                return;
            }
        }
        next.Approvals!.Changed += _watch.Poke;
        Volatile.Write(ref _current, next);
        _log.LogWarning("Daemon restarted: serving {Stations}", string.Join(", ", next.Server.Stations.Select(s => $"{s.Id} as '{s.Name}'")));
        Reloaded?.Invoke(next);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            _stopped = true;
            _watch?.Dispose();
            if (Volatile.Read(ref _current) is { } daemon) await daemon.StopAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        if (Volatile.Read(ref _current) is { } daemon) await daemon.DisposeAsync();
        _gate.Dispose();
    }
}

using System.Collections.Concurrent;
using BmwWallbox.Core;
using BmwWallbox.Doctor;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Hosting;

/// <summary>
/// Writes <c>&lt;data_dir&gt;/status.json</c> every 10 s (atomically; less often on large sites, see
/// <see cref="IntervalFor"/>) so <c>bmw-rules doctor</c> can show the live state of this instance; removes it on a clean stop.
/// </summary>
internal sealed class StatusFileWriter(Daemon daemon, TimeProvider time, ILogger<StatusFileWriter> logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private const int StationsPerInterval = 1000;
    // Doctor takes a status file older than 2 minutes for a stopped instance.
    private static readonly TimeSpan LongestInterval = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan BootsCounted = TimeSpan.FromDays(1);
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    // Per station its boots of the last day: a small array (a queue per station took ~1 KB, 10 MB at 10,000 stations).
    private readonly ConcurrentDictionary<string, DateTimeOffset[]> _boots = new();
    private readonly ConcurrentDictionary<string, RejectedCommand> _rejected = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private ITimer? _timer;
    private IDisposable? _bootEvents;

    private string Path => DaemonStatus.PathIn(daemon.DataDir);

    public void Start()
    {
        // Only boots are counted: the other events are not even queued for this writer.
        _bootEvents = daemon.Server.States.Subscribe(OnBoot, e => e.Kind == WallboxEventKind.Booted);
        foreach (var c in daemon.Controllers.All) c.ControlChanged += OnControlChanged;
        var interval = IntervalFor(daemon.Server.States.All.Count);
        _timer = time.CreateTimer(_ => _ = WriteAsync(), null, TimeSpan.Zero, interval);
    }

    /// <summary>
    /// 10 s for every started 1,000 stations, at most 60 s: the file grows with the site (~360 bytes a station),
    /// and 10,000 stations written every 10 s would be 30 GB a day on the disk (an SD card on a small server).
    /// </summary>
    internal static TimeSpan IntervalFor(int stations)
    {
        var thousands = Math.Max(1, (stations + StationsPerInterval - 1) / StationsPerInterval);
        return TimeSpan.FromTicks(Math.Min(Interval.Ticks * thousands, LongestInterval.Ticks));
    }

    public async Task StopAsync()
    {
        if (_timer is null) return;
        await _timer.DisposeAsync();
        _bootEvents?.Dispose();
        foreach (var c in daemon.Controllers.All) c.ControlChanged -= OnControlChanged;
        await _writing.WaitAsync();
        try { File.Delete(Path); }
        catch (IOException e) { logger.LogDebug(e, "Could not remove {Path}", Path); }
        finally { _writing.Release(); }
    }

    private void OnBoot(WallboxEvent e)
        => _boots.AddOrUpdate(e.State.StationId, [e.At], (_, earlier) => [.. earlier.Where(at => e.At - at < BootsCounted), e.At]);

    private void OnControlChanged(ControlState state)
    {
        if (state.LastRejected is { } r && (!_rejected.TryGetValue(state.StationId, out var known) || known.Message != r.Message || known.Action != r.Action))
            _rejected[state.StationId] = new RejectedCommand(r.Action, r.Message, time.GetUtcNow());
    }

    public async Task WriteAsync()
    {
        await _writing.WaitAsync();
        try
        {
            await Build().WriteAsync(Path, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Cannot write {Path}: {Reason}", Path, e.Message);
        }
        finally { _writing.Release(); }
    }

    private DaemonStatus Build()
    {
        var now = time.GetUtcNow();
        var ocpp = daemon.Config.Config!.Ocpp;
        var stats = daemon.Rules.Stats();
        return new DaemonStatus
        {
            Pid = Environment.ProcessId,
            StartedAt = _startedAt,
            UpdatedAt = now,
            Ocpp = new OcppListenStatus { Address = ocpp.Bind, Port = daemon.Server.Ports.FirstOrDefault() },
            Stations = daemon.Server.States.All.Select(s => Station(s, now)).ToList(),
            Rules = new RulesStatus
            {
                Loaded = stats.Count,
                Errors = daemon.Rules.LoadErrors,
                Rules = stats.Select(r => new RuleActivity(r.RuleId, r.LastFiredAt)).ToList(),
            },
            Signals = daemon.Signals.Names.Select(n => daemon.Signals.Get(n))
                .Select(r => new SignalStatus(r.Name, r.Value, r.UpdatedAt, r.Stale)).ToList(),
            UnknownStations = UnknownStations(),
        };
    }

    private List<UnknownStationStatus> UnknownStations()
    {
        if (daemon.Approvals is not { } approvals) return [];
        var connected = daemon.Server.PendingConnected;
        try
        {
            return approvals.All.Select(s => new UnknownStationStatus(s.Id, s.Status.ToString().ToLowerInvariant(), connected.Contains(s.Id),
                s.LastSeen, s.Remote, s.Vendor, s.Model, s.SerialNumber)).ToList();
        }
        catch (InvalidDataException)
        {
            return []; // an unreadable stations.json is reported where it is used (the login, bmw-rules stations)
        }
    }

    private StationStatus Station(WallboxState s, DateTimeOffset now)
    {
        var control = daemon.Controllers.Find(s.StationId)?.Control;
        var boots = _boots.TryGetValue(s.StationId, out var times) ? BootsSince(times, now - BootsCounted) : 0;
        return new StationStatus
        {
            Id = s.StationId,
            Name = s.Name,
            Connected = s.Connected,
            ConnectedAt = s.ConnectedAt,
            LastHeartbeatAt = s.LastHeartbeatAt,
            LastMessageAt = s.LastMessageAt,
            Boot = s.Boot is { } b ? new BootStatus(b.Vendor, b.Model, b.FirmwareVersion, b.Reason, b.At) : null,
            Status = s.Status,
            TransactionActive = s.HasActiveTransaction,
            TransactionId = s.HasActiveTransaction ? s.Transaction!.Id : null,
            ChargingState = s.ChargingState,
            Limit = control?.EffectiveLimit,
            LimitSource = control?.LimitSource,
            AppliedLimit = control?.AppliedLimit,
            LastRejected = _rejected.GetValueOrDefault(s.StationId),
            RebootsLast24h = boots,
        };
    }

    // A loop, not a lambda over `now`: its closure was made for each of 10,000 stations at every write, boots or not.
    private static int BootsSince(DateTimeOffset[] boots, DateTimeOffset since)
    {
        var count = 0;
        foreach (var at in boots)
            if (at > since) count++;
        return count;
    }
}

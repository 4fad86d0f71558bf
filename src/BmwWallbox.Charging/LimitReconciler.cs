using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging;

/// <summary>
/// Brings the box to the limit the claims ask for: it knows the limit the box holds, paces raises
/// through the <see cref="ChangeGate"/> (a held raise is scheduled on its own timer) and puts the
/// limit on the box through the <see cref="ProfileStrategy"/>. Used from the controller's worker only.
/// </summary>
internal sealed class LimitReconciler : IAsyncDisposable
{
    private readonly string _stationId;
    private readonly WallboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ClaimKeeper _claims;
    private readonly ProfileStrategy _profiles;
    private readonly Func<WallboxState?> _box;
    private readonly ChangeGate _gate;
    private readonly ITimer _raiseTimer;

    public LimitReconciler(string stationId, WallboxOptions options, TimeProvider time, ILogger log, ClaimKeeper claims,
        ProfileStrategy profiles, Func<WallboxState?> box, TimerOnWorker timerOnWorker)
    {
        _stationId = stationId;
        _options = options;
        _time = time;
        _log = log;
        _claims = claims;
        _profiles = profiles;
        _box = box;
        _gate = new ChangeGate(options);
        _raiseTimer = timerOnWorker(stop => ReconcileAndLogAsync("deferred change due", force: false, stop));
    }

    /// <summary>The limit the box accepted last; null until it accepted one.</summary>
    public double? Applied { get; private set; }

    /// <summary><see cref="ReconcileAsync"/> for a reason of the controller's own, logged.</summary>
    public async Task ReconcileAndLogAsync(string why, bool force, CancellationToken stop)
    {
        var applied = await ReconcileAsync(force, stop);
        var level = applied.Outcome is ActionOutcome.Accepted or ActionOutcome.NotConnected ? LogLevel.Information : LogLevel.Warning;
        _log.Log(level, "{StationId}: {Why}: {Outcome}: {Message}", _stationId, why, applied.Outcome, applied.Message);
    }

    /// <summary>
    /// Bring the box towards the effective limit. A lower limit goes out at once; a raise may be
    /// held (rate limit, pause-cycle cap) and is then scheduled. <paramref name="force"/> re-sends
    /// the limit even when the box already accepted it (quirk 4). A change a person made
    /// (<paramref name="byPerson"/>) goes out at once and does not count as a pause/resume cycle:
    /// pacing is there to keep automation from jerking the car around, not to second-guess a person.
    /// </summary>
    public async Task<ApplyResult> ReconcileAsync(bool force, CancellationToken stop, bool byPerson = false)
    {
        var ruling = _claims.Arbitrate();
        var target = ruling.Limit;
        if (_box() is not { Connected: true })
            return new(ActionOutcome.NotConnected, $"Wallbox not connected; limit {A(target)} A ({ruling.Source}) goes out when it connects");

        var now = _time.GetUtcNow();
        var from = Applied;
        var send = target;
        string? held = null;
        if (!byPerson && _gate.Check(from, target, now) is { NotBefore: { } due } decision)
        {
            send = from!.Value;
            var wait = due - now;
            held = decision.Reason == HoldReason.PauseCycleCap
                ? $"resume to {A(target)} A deferred {Math.Ceiling(wait.TotalMinutes)} min (at most {_options.MaxPauseCyclesPerHour} pause/resume cycles per hour); stays at {A(send)} A"
                : $"raised to {A(target)} A in {Math.Ceiling(wait.TotalSeconds)} s (rate limit); {A(send)} A until then";
            _raiseTimer.Change(wait, Timeout.InfiniteTimeSpan);
        }

        if (!force && send == from)
            return ApplyResult.Ok(held ?? $"limit {A(target)} A ({ruling.Source}) already applied");

        var sent = await _profiles.SendAsync(send, stop);
        if (!sent.OnBox) return sent;
        _gate.Record(from, send, _time.GetUtcNow(), countsAsCycle: !byPerson);
        Applied = send;
        return ApplyResult.Ok(held ?? $"limit {A(send)} A ({ruling.Source}) {sent.Message}");
    }

    public ValueTask DisposeAsync() => _raiseTimer.DisposeAsync();

    private static string A(double amps) => SafetyEnvelope.Format(amps);
}

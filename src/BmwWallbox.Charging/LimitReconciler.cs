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
    private readonly PhaseSwitching _phases;
    private readonly Func<WallboxState?> _box;
    private readonly ChangeGate _gate;
    private readonly ITimer _raiseTimer;

    public LimitReconciler(string stationId, WallboxOptions options, TimeProvider time, ILogger log, ClaimKeeper claims,
        ProfileStrategy profiles, PhaseSwitching phases, Func<WallboxState?> box, TimerOnWorker timerOnWorker)
    {
        _stationId = stationId;
        _options = options;
        _time = time;
        _log = log;
        _claims = claims;
        _profiles = profiles;
        _phases = phases;
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
        var fromPhases = _phases.Applied;
        var sendPhases = WantedPhases(ruling);
        // A switch while the car charges is a cycle (the car stops, the contactors switch); while paused it rides on the resume.
        var switching = !byPerson && fromPhases is not null && sendPhases != fromPhases && from > 0 && target > 0;
        string? held = null;
        if (switching && _gate.CheckSwitch(now) is { NotBefore: { } switchDue } switchHold)
        {
            // Held: stay on the phases the box has, at the power the claim meant. A held switch down holds the minimum meanwhile
            // (the current meant for one phase is too much on three); a held switch up takes up to the maximum on one phase
            // (the current meant for three phases would be a third of the power on one), below any rule's cap.
            var fromN = fromPhases!.Value;
            var sendN = sendPhases ?? fromN;
            if (sendPhases < fromPhases) send = Math.Min(send, _options.MinCurrent);
            else if (ruling.Phases is not null)
                send = Math.Min(Math.Clamp(send * sendN / fromN, _options.MinCurrent, _options.MaxCurrent), ruling.CapWithoutPhases ?? double.MaxValue);
            var wake = switchDue;
            if (send > from && _gate.Check(from, send, now) is { NotBefore: { } raiseDue })
            {
                send = from!.Value; // the raise on the box's phases waits for min_change_interval like any raise
                if (raiseDue < wake) wake = raiseDue;
            }
            held = $"switch to {sendPhases} phase(s) deferred {Math.Ceiling((switchDue - now).TotalMinutes)} min ("
                   + (switchHold.Reason == HoldReason.PauseCycleCap ? $"at most {_options.MaxPauseCyclesPerHour} cycles per hour, a switch counts as one" : "rate limit")
                   + $"); {A(send)} A on {fromPhases} phase(s) until then";
            sendPhases = fromPhases;
            switching = false;
            _raiseTimer.Change(wake - now, Timeout.InfiniteTimeSpan);
        }
        else if (!switching && !byPerson && _gate.Check(from, target, now) is { NotBefore: { } due } decision)
        {
            send = from!.Value;
            var wait = due - now;
            held = decision.Reason == HoldReason.PauseCycleCap
                ? $"resume to {A(target)} A deferred {Math.Ceiling(wait.TotalMinutes)} min (at most {_options.MaxPauseCyclesPerHour} pause/resume cycles per hour); stays at {A(send)} A"
                : $"raised to {A(target)} A in {Math.Ceiling(wait.TotalSeconds)} s (rate limit); {A(send)} A until then";
            _raiseTimer.Change(wait, Timeout.InfiniteTimeSpan);
        }

        if (!force && send == from && sendPhases == fromPhases)
            return ApplyResult.Ok(held ?? $"limit {A(target)} A ({ruling.Source}) already applied");

        var sent = await _profiles.SendAsync(send, sendPhases, stop);
        if (!sent.OnBox) return sent;
        _gate.Record(from, send, _time.GetUtcNow(), countsAsCycle: !byPerson);
        if (switching && _phases.Applied == sendPhases) _gate.RecordSwitch(_time.GetUtcNow());
        Applied = send;
        var on = _phases.Applied is { } n ? $" on {n} phase(s)" : "";
        return ApplyResult.Ok(held ?? $"limit {A(send)} A{on} ({ruling.Source}) {sent.Message}");
    }

    /// <summary>
    /// The phases to put in the profile: what the rule claims ask for; once the box switched, three again when
    /// nothing asks any more; none for a box that does not switch (or refused numberPhases).
    /// </summary>
    private int? WantedPhases(Arbitration ruling)
    {
        if (_phases.Support is PhaseSwitchingSupport.Unsupported or PhaseSwitchingSupport.Refused) return null;
        return ruling.Phases ?? (_phases.Applied is not null ? 3 : null);
    }

    public ValueTask DisposeAsync() => _raiseTimer.DisposeAsync();

    private static string A(double amps) => SafetyEnvelope.Format(amps);
}

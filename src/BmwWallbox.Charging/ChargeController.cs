using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging;

/// <summary>
/// Drives one station safely: holds the claims, keeps the box at the effective limit through the
/// safety envelope, and handles the BMW quirks. It coordinates parts that each own one concern
/// (claims, limit and pacing, profile strategy, link recovery, reboots, meter polling); every
/// action, event reaction and timer of theirs runs on this controller's one worker, so the
/// station sees one command at a time from here (quirk 1) and nothing races.
/// Feed it the station's <see cref="WallboxEvent"/>s through <see cref="OnWallboxEvent"/>
/// (<see cref="ChargeControllers"/> does that when given <see cref="IWallboxStates"/>).
/// </summary>
public sealed class ChargeController : IChargeController, IAsyncDisposable
{
    /// <summary>Fixed id of the TxDefaultProfile on the EVSE: replaced in place on every change (quirk 7).</summary>
    public const int TxDefaultProfileId = ProfileStrategy.TxDefaultProfileId;
    /// <summary>Fixed id of the fallback TxProfile bound to the live transaction.</summary>
    public const int TxProfileId = ProfileStrategy.TxProfileId;

    /// <summary>TransactionEvent stoppedReason when the car was unplugged (OCPP 2.0.1 ReasonEnumType).</summary>
    private const string CarUnpluggedReason = "EVDisconnected";

    /// <summary>
    /// How long a connect's link-up waits for the box's first message. A booting box sends BootNotification first,
    /// and the boot's link-up does every step; a box that only reconnected is linked up at its first message, or
    /// after this when it says nothing that changes its state (an unchanged StatusNotification).
    /// </summary>
    public static readonly TimeSpan FirstMessageWait = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SerialWork<Func<CancellationToken, Task>> _work;
    private readonly CancellationTokenSource _stopping = new();
    private readonly LastRefusal _refusals = new();
    private readonly ClaimKeeper _claims;
    private readonly MeterPolling _polling;
    private readonly RebootFallback _reboots;
    private readonly LiveTransactionRecovery _liveTransaction;
    private readonly StopTxOnEvDisconnectSetting _stopTxSetting;
    private readonly ProfileStrategy _profiles;
    private readonly PhaseSwitching _phases;
    private readonly LimitReconciler _limits;
    private readonly BoxActions _actions;

    // Written by OnWallboxEvent (any thread), read by the worker: always the latest snapshot.
    private WallboxState? _box;
    // Connected/Booted events received, and how many of their reactions (which ask for the live transaction) have run.
    private int _linkUpsSeen;
    private int _linkUpsHandled;
    // The connect's link-up while it waits for the box's first message (0: none waits); the timer ends the wait.
    private volatile int _connectLinkUp;
    private ITimer? _firstMessageTimer;
    private ControlState _control;

    public ChargeController(
        string stationId,
        string name,
        IWallboxLink link,
        WallboxOptions options,
        TimeProvider time,
        ILogger<ChargeController> logger,
        string? dataDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stationId);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options.Validate();
        StationId = stationId;
        Name = name;
        _time = time;
        _log = logger;

        var commands = new WallboxCommands(stationId, link, options, logger);
        Func<WallboxState?> box = () => Volatile.Read(ref _box);
        _claims = new ClaimKeeper(stationId, name, options, time, logger, dataDirectory, TimerOnWorker,
            stop => ReapplyLimitAsync("claims expired", force: false, stop));
        _polling = new MeterPolling(commands, box, options.MeterPollInterval, time, Post);
        _reboots = new RebootFallback(stationId, commands, options, time, logger, TimerOnWorker);
        _liveTransaction = new LiveTransactionRecovery(commands, TimerOnWorker, (why, stop) => ReapplyLimitAsync(why, force: true, stop));
        _stopTxSetting = new StopTxOnEvDisconnectSetting(stationId, commands, logger);
        _phases = new PhaseSwitching(stationId, commands, logger);
        _profiles = new ProfileStrategy(stationId, commands, box, _liveTransaction, _reboots, _refusals, _phases, options.MinCurrent, logger);
        _limits = new LimitReconciler(stationId, options, time, logger, _claims, _profiles, _phases, box, TimerOnWorker);
        _actions = new BoxActions(stationId, commands, box, _claims, _limits, _reboots, _refusals, logger);

        _control = Snapshot();
        _work = new SerialWork<Func<CancellationToken, Task>>(RunStepAsync);
    }

    public string StationId { get; }
    public string Name { get; }
    public ControlState Control => Volatile.Read(ref _control);
    public event Action<ControlState>? ControlChanged;

    public Task<ActionResult> ClaimAsync(ClaimRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var action = request.Amps == 0 ? "pause" : "set_current";
        if (string.IsNullOrWhiteSpace(request.Source))
            return Task.FromResult(Invalid(action, "(none)", "A claim needs a source"));
        var admission = _claims.Admit(request);
        if (admission.Claim is not { } claim)
            return Task.FromResult(Invalid(action, request.Source, admission.Refusal!));

        return RunActionAsync(action, request.Source, async stop =>
        {
            await _claims.PutAsync(claim, stop);
            var applied = await _limits.ReconcileAsync(force: false, stop, byPerson: claim.Kind == ClaimKind.Manual);
            var text = $"claim '{claim.Source}' {SafetyEnvelope.Format(claim.Amps)} A ({ClaimKeeper.Describe(claim)})"
                       + (admission.Note is { } note ? $" [{note}]" : "");
            return applied.ToAction(action, text);
        }, ct);
    }

    public Task<ActionResult> ReleaseAsync(string source, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(source)) return Task.FromResult(Invalid("release", "(none)", "Release needs a source"));
        return RunActionAsync("release", source, async stop =>
        {
            if (await _claims.RemoveAsync(source, stop) is not { } removed)
                return ActionResult.Accepted("release", $"No claim held by '{source}'; nothing changed");
            var applied = await _limits.ReconcileAsync(force: false, stop, byPerson: removed.Kind == ClaimKind.Manual);
            return applied.ToAction("release", $"claim '{source}' released");
        }, ct);
    }

    public Task<ActionResult> StartAsync(string source, CancellationToken ct = default)
        => RunActionAsync("start", source, stop => _actions.StartAsync(source, stop), ct);

    public Task<ActionResult> StopAsync(string source, CancellationToken ct = default)
        => RunActionAsync("stop", source, stop => _actions.StopAsync(source, stop), ct);

    public Task<ActionResult> RebootAsync(string source, CancellationToken ct = default)
        => RunActionAsync("reboot", source, _actions.RebootAsync, ct);

    /// <summary>
    /// Feed one event of this station (others are ignored). Quick and non-blocking: the state is
    /// taken at once, the reaction is queued on the controller's worker.
    /// </summary>
    public void OnWallboxEvent(WallboxEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.State.StationId != StationId) return;
        Volatile.Write(ref _box, e.State);
        if (e.Kind is WallboxEventKind.Connected or WallboxEventKind.Booted) PostLinkUp(e, Interlocked.Increment(ref _linkUpsSeen));
        else if (!ChangesNothingHere(e)) PostReaction(e);
    }

    // The lambdas that capture the event live in methods of their own: in OnWallboxEvent their closure was made
    // at its start, for every heartbeat and meter reading, even the ones that return before posting anything.
    private void PostLinkUp(WallboxEvent e, int linkUp) => Post(async stop =>
    {
        await ReactAsync(e, stop, linkUp);
        Volatile.Write(ref _linkUpsHandled, linkUp);
    });

    private void PostReaction(WallboxEvent e) => Post(stop => ReactAsync(e, stop));

    /// <summary>
    /// A meter reading, heartbeat or report that leaves the link and the presence of a transaction as they
    /// were, while no report of the live transaction is awaited (none asked for, and no link-up waiting
    /// on the worker to ask for one): <see cref="ReactAsync"/> would do nothing with it, and the worker
    /// reads the state it carries from <see cref="_box"/> anyway. Not queued, so the worker does not wake
    /// on every meter value of a busy station.
    /// </summary>
    private bool ChangesNothingHere(WallboxEvent e)
        => e.Kind is WallboxEventKind.MeterValues or WallboxEventKind.Heartbeat or WallboxEventKind.VariablesReported
           && e.Previous is { } before && before.Connected == e.State.Connected && before.HasActiveTransaction == e.State.HasActiveTransaction
           && Volatile.Read(ref _linkUpsHandled) == Volatile.Read(ref _linkUpsSeen) && _connectLinkUp == 0 && !_liveTransaction.AwaitingReport;

    /// <summary>
    /// Completes once everything queued on the controller's worker before this call has run
    /// (<c>simulate</c> waits for this before it moves the virtual clock on).
    /// </summary>
    public Task WhenIdleAsync(CancellationToken ct) => WhenIdleAsync().WaitAsync(ct);

    /// <summary>Completes once everything queued before this call has run (tests drain the worker with it).</summary>
    internal Task WhenIdleAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_work.TryPost(_ =>
            {
                done.TrySetResult();
                return Task.CompletedTask;
            }))
            done.TrySetResult();
        return done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        await _work.CompleteAsync();
        await _limits.DisposeAsync();
        await _claims.DisposeAsync();
        await _polling.DisposeAsync();
        await _reboots.DisposeAsync();
        await _liveTransaction.DisposeAsync();
        if (_firstMessageTimer is not null) await _firstMessageTimer.DisposeAsync();
    }

    /// <param name="linkUp">For a connect or boot, its number among the link-ups seen (<see cref="LinkUpAsync"/>).</param>
    private async Task ReactAsync(WallboxEvent e, CancellationToken stop, int linkUp = 0)
    {
        // The box spoke after connecting, and not to say it booted: it only reconnected.
        if (_connectLinkUp != 0 && e.Kind is not (WallboxEventKind.Connected or WallboxEventKind.Booted or WallboxEventKind.Disconnected))
            await ConnectLinkUpAsync(stop);

        // Any transaction event changes the transaction we know: the box has reported it. (No second
        // re-send when the event below re-sends anyway: each replacement risks quirk 3.)
        if (_liveTransaction.AwaitingReport && !Equals(e.State.Transaction, e.Previous?.Transaction))
            await _liveTransaction.ReportedAsync($"transaction {e.State.Transaction?.Id} reported", stop,
                resend: e.Kind != WallboxEventKind.TransactionStarted && !ChargingResumed(e));

        switch (e.Kind)
        {
            case WallboxEventKind.Connected:
                _stopTxSetting.Connected();
                _profiles.LinkUp();
                _phases.LinkUp();
                _connectLinkUp = linkUp;
                _firstMessageTimer ??= TimerOnWorker(ConnectLinkUpAsync);
                _firstMessageTimer.Change(FirstMessageWait, Timeout.InfiniteTimeSpan);
                break;
            case WallboxEventKind.Disconnected:
                EndFirstMessageWait();
                break;
            case WallboxEventKind.Booted:
                EndFirstMessageWait(); // the boot's link-up below does it all
                _reboots.Booted();
                _profiles.LinkUp();
                _phases.LinkUp();
                await LinkUpAsync("booted", linkUp, stop);
                break;
            case WallboxEventKind.TransactionStarted:
                // Quirk 4: a limit sent earlier may have been dropped; say it again for the new transaction.
                await _limits.ReconcileAndLogAsync("transaction started", force: true, stop);
                break;
            case WallboxEventKind.ChargingStateChanged when ChargingResumed(e):
                // Quirk 4: a profile sent while Suspended may have been silently discarded.
                await _limits.ReconcileAndLogAsync("charging resumed after suspension", force: true, stop);
                break;
            // A session also ends by a reboot, a remote or local stop, a power cut: only an unplug ends the
            // claims made "until unplugged" (a person's override must survive a reboot). Otherwise the
            // connector turning Available below tells that the car has gone.
            case WallboxEventKind.TransactionEnded when e.State.Transaction?.StoppedReason == CarUnpluggedReason:
                await EndUnplugClaimsAsync("car unplugged", stop);
                break;
            // Only a real transition counts: the first status after a restart says nothing about an unplug.
            case WallboxEventKind.StatusChanged
                when e.State.Status == ConnectorStatus.Available && e.Previous?.Status is { } before && before != ConnectorStatus.Available:
                await EndUnplugClaimsAsync("connector available", stop);
                break;
        }
        _polling.Sync();
    }

    private static bool ChargingResumed(WallboxEvent e)
        => e.Kind == WallboxEventKind.ChargingStateChanged
           && e.Previous?.ChargingState is ChargingState.SuspendedEV or ChargingState.SuspendedEVSE
           && e.State.ChargingState == ChargingState.Charging;

    /// <summary>
    /// A (re)connected or rebooted box: recover the live transaction, configure, re-apply the limit. Once a later
    /// link-up is seen (a second connect, or a boot later than <see cref="FirstMessageWait"/>), this one stops before its
    /// next step: the later one, queued behind it, does every step again.
    /// </summary>
    private async Task LinkUpAsync(string why, int linkUp, CancellationToken stop)
    {
        if (Superseded(linkUp)) return;
        await _liveTransaction.AskForReportAsync(stop);
        if (Superseded(linkUp)) return;
        await _stopTxSetting.SendOnceAsync(stop);
        if (Superseded(linkUp)) return;
        await _limits.ReconcileAndLogAsync(why, force: true, stop);
    }

    private bool Superseded(int linkUp) => Volatile.Read(ref _linkUpsSeen) != linkUp;

    /// <summary>The link-up of a box that reconnected without booting: at its first message, or when the wait for it ends.</summary>
    private async Task ConnectLinkUpAsync(CancellationToken stop)
    {
        var linkUp = _connectLinkUp;
        if (linkUp == 0) return;
        EndFirstMessageWait();
        await LinkUpAsync("connected", linkUp, stop);
    }

    private void EndFirstMessageWait()
    {
        _connectLinkUp = 0;
        _firstMessageTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private async Task EndUnplugClaimsAsync(string why, CancellationToken stop)
    {
        if (await _claims.EndOnUnplugAsync(why, stop))
            await _limits.ReconcileAndLogAsync($"claims ended ({why})", force: false, stop);
    }

    /// <summary>Parts made before the reconciler (claims, live-transaction recovery) re-apply the limit through this.</summary>
    private Task ReapplyLimitAsync(string why, bool force, CancellationToken stop) => _limits.ReconcileAndLogAsync(why, force, stop);

    private async Task<ActionResult> RunActionAsync(string action, string source, Func<CancellationToken, Task<ActionResult>> body, CancellationToken ct)
    {
        var done = new TaskCompletionSource<ActionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = _work.TryPost(async stop =>
        {
            // Once started, an action runs to the end: a half-applied change would leave the box in doubt.
            if (ct.IsCancellationRequested || stop.IsCancellationRequested)
            {
                done.TrySetCanceled();
                return;
            }
            try
            {
                var result = await body(stop);
                LogResult(result, source);
                Publish(); // a caller reading Control after the result sees the change
                done.TrySetResult(result);
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
                throw;
            }
        });
        ObjectDisposedException.ThrowIf(!queued, this);
        return await done.Task.WaitAsync(ct);
    }

    private async Task RunStepAsync(Func<CancellationToken, Task> step)
    {
        try
        {
            await step(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "{StationId}: charge controller step failed", StationId);
        }
        Publish();
    }

    private void Post(Func<CancellationToken, Task> item) => _work.TryPost(item);

    private ITimer TimerOnWorker(Func<CancellationToken, Task> onDue)
        => _time.CreateTimer(_ => Post(onDue), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    private ControlState Snapshot()
    {
        var ruling = _claims.Arbitrate();
        return new ControlState(StationId, ruling.Limit, ruling.Source, _limits.Applied, _reboots.Rebooting, _claims.All, _refusals.Result,
            _phases.Applied, _phases.Support);
    }

    private void Publish()
    {
        var next = Snapshot();
        var previous = Volatile.Read(ref _control);
        if (previous.EffectiveLimit == next.EffectiveLimit && previous.LimitSource == next.LimitSource
            && previous.AppliedLimit == next.AppliedLimit && previous.Rebooting == next.Rebooting
            && previous.LastRejected == next.LastRejected && previous.Claims.SequenceEqual(next.Claims)
            && previous.Phases == next.Phases && previous.PhaseSwitching == next.PhaseSwitching)
            return;
        Volatile.Write(ref _control, next);
        try
        {
            ControlChanged?.Invoke(next);
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "{StationId}: a ControlChanged handler failed", StationId);
        }
    }

    private ActionResult Invalid(string action, string source, string reason)
    {
        var result = ActionResult.Rejected(action, reason);
        LogResult(result, source);
        return result;
    }

    private void LogResult(ActionResult result, string source)
    {
        // A claim (or its release) while the box is offline is kept and goes out when it connects: news, not a problem
        // (every start of bmw-rules has one). A start, stop or reboot the box did not get is lost: a warning.
        var kept = result.Outcome == ActionOutcome.NotConnected && result.Action is not ("start" or "stop" or "reboot");
        var level = result.Ok || kept ? LogLevel.Information : LogLevel.Warning;
        _log.Log(level, "{StationId}: {Action} by {Source}: {Outcome}: {Message}", StationId, result.Action, source, result.Outcome, result.Message);
    }
}

using System.Threading.Channels;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging;

/// <summary>
/// Drives one station safely: holds the claims, keeps the box at the effective limit through the
/// safety envelope, and handles the BMW quirks. All state changes and all commands run on one
/// worker, so the station sees one command at a time from here (quirk 1) and nothing races.
/// Feed it the station's <see cref="WallboxEvent"/>s through <see cref="OnWallboxEvent"/>
/// (<see cref="ChargeControllers"/> does that when given <see cref="IWallboxStates"/>).
/// </summary>
public sealed partial class ChargeController : IChargeController, IAsyncDisposable
{
    /// <summary>Fixed id of the TxDefaultProfile on the EVSE: replaced in place on every change (quirk 7).</summary>
    public const int TxDefaultProfileId = ProfileStrategy.TxDefaultProfileId;
    /// <summary>Fixed id of the fallback TxProfile bound to the live transaction.</summary>
    public const int TxProfileId = ProfileStrategy.TxProfileId;

    private readonly WallboxCommands _commands;
    private readonly WallboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ClaimKeeper _claims;
    private readonly Channel<Func<CancellationToken, Task>> _work =
        Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _worker;
    private readonly MeterPolling _polling;
    private readonly RebootFallback _reboots;
    private readonly LiveTransactionRecovery _liveTransaction;
    private readonly StopTxOnEvDisconnectSetting _stopTxSetting;
    private readonly LastRefusal _refusals = new();
    private readonly ProfileStrategy _profiles;
    private readonly LimitReconciler _limits;

    // Written by OnWallboxEvent (any thread), read by the worker: always the latest snapshot.
    private WallboxState? _box;
    private ControlState _control;

    // Worker-only state.
    private int _nextRemoteStartId = Random.Shared.Next(1, 1_000_000);

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
        _commands = new WallboxCommands(stationId, link, options, logger);
        _options = options;
        _time = time;
        _log = logger;
        _claims = new ClaimKeeper(stationId, name, options, time, logger, dataDirectory, TimerOnWorker,
            stop => ReapplyLimitAsync("claims expired", force: false, stop));

        _polling = new MeterPolling(_commands, () => Volatile.Read(ref _box), options.MeterPollInterval, time, Post);
        _reboots = new RebootFallback(stationId, _commands, options, time, logger, TimerOnWorker);
        _liveTransaction = new LiveTransactionRecovery(_commands, TimerOnWorker, (why, stop) => ReapplyLimitAsync(why, force: true, stop));
        _stopTxSetting = new StopTxOnEvDisconnectSetting(stationId, _commands, logger);
        _profiles = new ProfileStrategy(stationId, _commands, () => Volatile.Read(ref _box), _liveTransaction, _reboots, _refusals, logger);
        _limits = new LimitReconciler(stationId, options, time, logger, _claims, _profiles, () => Volatile.Read(ref _box), TimerOnWorker);

        _control = Snapshot();
        _worker = Task.Run(RunWorkerAsync);
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
            var text = $"claim '{claim.Source}' {A(claim.Amps)} A ({ClaimKeeper.Describe(claim)})" + (admission.Note is { } note ? $" [{note}]" : "");
            return Combine(action, text, applied);
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
            return Combine("release", $"claim '{source}' released", applied);
        }, ct);
    }

    public Task<ActionResult> StartAsync(string source, CancellationToken ct = default)
        => RunActionAsync("start", source, async stop =>
        {
            if (_box is not { Connected: true } box) return ActionResult.NotConnected("start");

            var byPerson = await _claims.DropPausesOfAsync(source, stop);
            if (box.Transaction is { IsActive: true } tx)
            {
                // "Start" on a running session = resume: the source's own pause is gone, re-send the limit.
                var applied = await _limits.ReconcileAsync(force: true, stop, byPerson);
                if (applied.Outcome != ActionOutcome.Accepted) return Combine("start", $"transaction {tx.Id} running", applied);
                var running = $"Transaction {tx.Id} running";
                if (AwaitsAuthorization(tx))
                {
                    // TxStartPoint EVConnected: the box opened the session at plug-in and lets no energy flow
                    // until it is authorized; OCPP 2.0.1 lets RequestStartTransaction authorize that session.
                    // The limit went out first, so the car starts at it.
                    var authorizeId = _nextRemoteStartId++;
                    var authorized = await _commands.RequestStartTransactionAsync(authorizeId, stop);
                    if (!authorized.IsAccepted)
                        return FromLink("start", $"RequestStartTransaction (to authorize transaction {tx.Id})", authorized);
                    running = $"Transaction {tx.Id} authorized (remoteStartId {authorizeId})";
                }
                var ruling = _claims.Arbitrate();
                if (ruling.Limit == 0)
                    return ActionResult.Rejected("start", $"{running} but charging is paused by claim '{ruling.Source}' (a manual claim outranks rule claims)");
                return ActionResult.Accepted("start", $"{running}; {applied.Message}");
            }

            var remoteStartId = _nextRemoteStartId++;
            var started = await _commands.RequestStartTransactionAsync(remoteStartId, stop);
            if (started.IsAccepted)
            {
                var applied = await _limits.ReconcileAsync(force: true, stop, byPerson);
                return ActionResult.Accepted("start", $"Start requested (remoteStartId {remoteStartId}); {applied.Message}");
            }
            if (started.Outcome is LinkOutcome.Rejected or LinkOutcome.Error)
            {
                // Nothing else starts a BMW box stuck in Finishing (quirk 10): a reboot is the last resort.
                var text = $"RequestStartTransaction rejected: {started.Reason}" + await _reboots.LastResortAsync("remote start refused", stop);
                return Refused(ActionResult.Rejected("start", text));
            }
            return FromLink("start", "RequestStartTransaction", started);
        }, ct);

    public Task<ActionResult> StopAsync(string source, CancellationToken ct = default)
        => RunActionAsync("stop", source, async stop =>
        {
            if (_box is not { Connected: true } box) return ActionResult.NotConnected("stop");
            if (box.Transaction is not { IsActive: true } tx) return ActionResult.Rejected("stop", "No active charging session");
            var stopped = await _commands.RequestStopTransactionAsync(tx.Id, stop);
            if (!stopped.IsAccepted) return FromLink("stop", "RequestStopTransaction", stopped);
            _log.LogWarning(
                "{StationId}: transaction {Tx} stopped by {Source}; a BMW box now sits in Finishing and cannot start a new transaction remotely until the car is unplugged and replugged or the box reboots",
                StationId, tx.Id, source);
            return ActionResult.Accepted("stop",
                $"Transaction {tx.Id} stopped. The BMW box cannot restart it remotely: unplug and replug the car (or reboot the box) to charge again. Use pause to interrupt charging.");
        }, ct);

    public Task<ActionResult> RebootAsync(string source, CancellationToken ct = default)
        => RunActionAsync("reboot", source, async stop =>
        {
            if (_reboots.Refusal() is { } refusal) return ActionResult.Rejected("reboot", $"Reboot refused: {refusal}");
            if (_box is not { Connected: true }) return ActionResult.NotConnected("reboot");
            var reset = await _reboots.ResetAsync(stop);
            return reset.IsAccepted
                ? ActionResult.Accepted("reboot", "Wallbox rebooting (takes about a minute)")
                : FromLink("reboot", "Reset", reset);
        }, ct);

    /// <summary>Completes once everything queued before this call has run (tests drain the worker with it).</summary>
    internal Task WhenIdleAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_work.Writer.TryWrite(_ =>
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
        _work.Writer.TryComplete();
        await _worker;
        await _limits.DisposeAsync();
        await _claims.DisposeAsync();
        await _polling.DisposeAsync();
        await _reboots.DisposeAsync();
        await _liveTransaction.DisposeAsync();
    }

    /// <summary>
    /// A session the box opened when the car was plugged in and that nobody authorized yet: no id token
    /// and still at EVConnected (once authorized, energy is offered and it moves on, or the token is known).
    /// </summary>
    private static bool AwaitsAuthorization(TransactionInfo tx)
        => tx.IdToken is null && tx.ChargingState is (null or ChargingState.EVConnected);

    private async Task<ActionResult> RunActionAsync(string action, string source, Func<CancellationToken, Task<ActionResult>> body, CancellationToken ct)
    {
        var done = new TaskCompletionSource<ActionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = _work.Writer.TryWrite(async stop =>
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

    private async Task RunWorkerAsync()
    {
        await foreach (var item in _work.Reader.ReadAllAsync())
        {
            try
            {
                await item(_stopping.Token);
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
    }

    /// <summary>Parts made before the reconciler (claims, live-transaction recovery) re-apply the limit through this.</summary>
    private Task ReapplyLimitAsync(string why, bool force, CancellationToken stop) => _limits.ReconcileAndLogAsync(why, force, stop);

    private void Post(Func<CancellationToken, Task> item) => _work.Writer.TryWrite(item);

    private ITimer TimerOnWorker(Func<CancellationToken, Task> onDue)
        => _time.CreateTimer(_ => Post(onDue), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    private ControlState Snapshot()
    {
        var ruling = _claims.Arbitrate();
        return new ControlState(StationId, ruling.Limit, ruling.Source, _limits.Applied, _reboots.Rebooting, _claims.All, _refusals.Result);
    }

    private void Publish()
    {
        var next = Snapshot();
        var previous = Volatile.Read(ref _control);
        if (previous.EffectiveLimit == next.EffectiveLimit && previous.LimitSource == next.LimitSource
            && previous.AppliedLimit == next.AppliedLimit && previous.Rebooting == next.Rebooting
            && previous.LastRejected == next.LastRejected && previous.Claims.SequenceEqual(next.Claims))
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

    /// <summary>Remember a refusal by the box so <see cref="ControlState.LastRejected"/> shows it.</summary>
    private ActionResult Refused(ActionResult result) => _refusals.Record(result);

    private ActionResult FromLink(string action, string command, LinkResult answer) => answer.Outcome switch
    {
        LinkOutcome.Accepted => ActionResult.Accepted(action, $"{command} accepted"),
        LinkOutcome.NotConnected => ActionResult.NotConnected(action),
        LinkOutcome.TimedOut => ActionResult.TimedOut(action),
        LinkOutcome.Error => ActionResult.Rejected(action, $"{command} failed: {answer.Reason}"),
        _ => Refused(ActionResult.Rejected(action, $"{command} rejected: {answer.Reason}")),
    };

    private static ActionResult Combine(string action, string what, ApplyResult applied) => applied.Outcome == ActionOutcome.Accepted
        ? ActionResult.Accepted(action, $"{what}; {applied.Message}")
        : new ActionResult(action, applied.Outcome, $"{applied.Message}; {what} (kept)");

    private void LogResult(ActionResult result, string source)
    {
        var level = result.Ok ? LogLevel.Information : LogLevel.Warning;
        _log.Log(level, "{StationId}: {Action} by {Source}: {Outcome}: {Message}", StationId, result.Action, source, result.Outcome, result.Message);
    }

    private static string A(double amps) => SafetyEnvelope.Format(amps);
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.SimulatedBox;

// The link to the CSMS: sessions, reboot and the delivery pump.
public sealed partial class SimulatedWallbox
{
    private readonly MessageQueue _queue = new();
    private readonly BoxTimer _rebootTimer;
    private readonly BootSequence _boot;
    private readonly CsmsLink _link;
    private bool _pumping;
    private bool _rebootWhenIdle;

    /// <summary>
    /// A transport opened a session (socket connected). Messages are delivered automatically, one
    /// CALL at a time. The transport reports the end with <see cref="Disconnect"/>.
    /// </summary>
    public void Connect(ICsmsChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        Mutate(now => _link.Connect(now, channel));
    }

    /// <summary>The transport lost the session (socket closed). Ignored for a channel that is no longer current.</summary>
    public void Disconnect(ICsmsChannel channel, string reason)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (_gate.IsDisposed) return;
        Mutate(now => _link.Disconnect(now, channel, reason));
    }

    /// <summary>
    /// In-process mode (<c>simulate</c>): <paramref name="channel"/> is the CSMS for good. The box
    /// reconnects to it by itself after drops and reboots (in virtual time). Messages are delivered
    /// only when you call <see cref="FlushAsync"/>, so a run stays deterministic.
    /// </summary>
    public void AttachInProcess(ICsmsChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        Mutate(now => _link.AttachInProcess(now, channel));
    }

    /// <summary>
    /// Simulates a network drop: the session ends (the channel's Close is called) and the box
    /// reconnects after back-off — by itself in-process, through <see cref="SimulatedBoxClient"/> on a socket.
    /// </summary>
    public void DropConnection(string reason = "network drop") => Mutate(now => _link.Lose(now, reason, closeChannel: true));

    /// <summary>Completes when the box is not rebooting (a transport may connect).</summary>
    public Task WaitUntilCanConnectAsync(CancellationToken cancellationToken = default) =>
        _gate.Locked(() => _availability.CanConnect.WaitAsync(cancellationToken));

    /// <summary>
    /// In-process mode: delivers queued station→CSMS messages one by one through the channel until
    /// nothing is deliverable (including what the CSMS's reactions queue meanwhile). A call from
    /// inside the CSMS handler returns at once; the running flush delivers it.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var start = _gate.Locked(() =>
        {
            _gate.ThrowIfDisposed();
            if (_pumping) return false;
            _pumping = true;
            return true;
        });
        if (!start) return;
        await PumpAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Quirk 1 strict: a reply with an id the box is not waiting for breaks the session.</summary>
    internal void ReportUnknownMessageId(string messageId) => Mutate(now => _link.ReportUnknownMessageId(now, messageId));

    internal void RecordConnectFailed(string error) => Record(_time.GetUtcNow(), SimulatorEventKind.ConnectFailed, detail: error);

    internal TimeSpan Backoff(int attempt) => _link.Backoff(attempt);

    /// <summary>The session may carry ordinary messages: queue what a fresh session starts with.</summary>
    private void OnSessionReady(DateTimeOffset now, bool afterBoot)
    {
        if (!afterBoot && _quirks.StaleTransactionIdAfterReconnect && _tx is not null) RenewTransactionId();

        var first = new List<Outgoing> { new("StatusNotification", StatusNotificationPayload(now)) };
        if (afterBoot && _quirks.ExtraMessages) first.AddRange(UnexpectedMessages.AtBoot(now, _boot, _connectorStatus, _device));
        if (!afterBoot && _quirks.ReplayDeliveredEvents) first.AddRange(_queue.TakeReplay());
        _queue.AddFirst(first);

        if (afterBoot) StartTransaction(now, "CablePluggedIn");
        Update(now);
    }

    /// <summary>Quirk 9: the box silently continues the session under a new id; the CSMS's id goes stale.</summary>
    private void RenewTransactionId()
    {
        var old = _tx!.Id;
        _tx.Id = NewTransactionId();
        _profiles.RenameTransaction(old, _tx.Id);
        _log.LogInformation("Station {StationId}: transaction {Old} continues as {Tx} (stale id quirk)", _options.StationId, old, _tx.Id);
    }

    // ---- Reboot (Reset) ----

    private void BeginReboot(DateTimeOffset now, string why)
    {
        if (_availability.Rebooting) return;
        Update(now);
        _rebootWhenIdle = false;
        EndTransaction(now, "ResetCommand", "ImmediateReset", carLeaving: false);
        _availability.BeginReboot();
        Record(now, SimulatorEventKind.Rebooting, detail: why);
        _link.Lose(now, "reboot", closeChannel: true);
        _profiles.OnReboot();
        _finishing = false;
        _boot.RequireAfterReset();
        _link.StopReconnecting();
        _rebootTimer.Arm(_options.RebootDuration);
        Update(now);
    }

    private void FinishReboot(DateTimeOffset now)
    {
        if (!_availability.Rebooting) return;
        _availability.EndReboot();
        _log.LogInformation("Station {StationId}: reboot finished", _options.StationId);
        _link.ReopenAfterReboot(now);
        Update(now);
    }

    private bool TryTakeNext(out Outgoing message)
    {
        message = null!;
        if (!_link.CanDeliver()) return false;
        if (_boot.IsDue)
        {
            message = _boot.TakeNotification();
            return true;
        }
        message = _queue.Take();
        return true;
    }

    private async Task RunPumpAsync()
    {
        try { await PumpAsync(_gate.Lifetime).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        catch (Exception e) { _log.LogError(e, "Station {StationId}: delivery failed", _options.StationId); }
    }

    /// <summary>Delivers one CALL at a time until nothing is deliverable. Caller has set <c>_pumping</c>.</summary>
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_gate.Locked(TakeNextDelivery) is not { } next) return;
            var (message, channel, generation, inProcess) = next;

            JsonNode? response = null;
            OcppCallErrorException? error = null;
            Exception? lost = null;
            try
            {
                var payload = inProcess ? OcppJson.WireCopy(message.Payload) : message.Payload;
                response = await channel.CallAsync(message.Action, payload, cancellationToken).ConfigureAwait(false);
            }
            catch (OcppCallErrorException e) { error = e; }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _gate.Locked(() => { _queue.Requeue(message); _pumping = false; });
                throw;
            }
            catch (Exception e) { lost = e; }

            try { Mutate(now => OnCallCompleted(now, message, generation, response, error, lost)); }
            catch
            {
                _gate.Locked(() => _pumping = false);
                throw;
            }
        }
    }

    private (Outgoing Message, ICsmsChannel Channel, long Generation, bool InProcess)? TakeNextDelivery()
    {
        if (_gate.IsDisposed || !TryTakeNext(out var message)) { _pumping = false; return null; }
        return (message, _link.Channel!, _link.Generation, _link.InProcess);
    }

    private void OnCallCompleted(DateTimeOffset now, Outgoing message, long generation, JsonNode? response,
        OcppCallErrorException? error, Exception? lost)
    {
        Record(now, SimulatorEventKind.MessageSent, message.Action, message.Payload, response, error?.ErrorCode,
            lost is null ? null : "lost");
        if (lost is not null)
        {
            if (message.Action == "BootNotification") _boot.OnNotificationLost();
            if (lost is TimeoutException)
            {
                // No answer in time: retry a TransactionEvent up to MessageAttempts, drop anything else.
                if (message.IsTransactionEvent && message.Attempts + 1 < 3) { _queue.AddFirst([message with { Attempts = message.Attempts + 1 }]); _link.Kick(); }
                if (message.Action == "BootNotification") _link.RetryBootLater();
                return;
            }
            _queue.Requeue(message);
            if (generation == _link.Generation) _link.Lose(now, $"connection lost: {lost.Message}", closeChannel: true);
            return;
        }
        if (message.Action == "BootNotification")
        {
            if (generation == _link.Generation) _link.OnBootAnswer(now, response, error);
            return;
        }
        if (error is not null)
        {
            _log.LogWarning("Station {StationId}: CSMS answered {Action} with {Code}: {Description}",
                _options.StationId, message.Action, error.ErrorCode, error.Description);
            if (message.Extra && _quirks.ExtraMessages && generation == _link.Generation)
                _link.Lose(now, $"CALLERROR {error.ErrorCode} to {message.Action} broke the session", closeChannel: true);
            return;
        }
        _queue.Delivered(message);
    }
}

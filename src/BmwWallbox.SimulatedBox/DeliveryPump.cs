using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// Delivers queued station→CSMS messages one CALL at a time (the box never has two outstanding): by
/// itself on a socket, only on <see cref="FlushAsync"/> in-process so a virtual-time run stays
/// deterministic. A lost connection requeues TransactionEvents; a timed-out one is retried.
/// </summary>
internal sealed class DeliveryPump
{
    /// <summary>OCPPCommCtrlr.MessageAttempts for TransactionEvents.</summary>
    private const int MessageAttempts = 3;
    private readonly SimulatedBoxOptions _options;
    private readonly StationGate _gate;
    private readonly CsmsLink _link;
    private readonly MessageQueue _queue;
    private readonly BootSequence _boot;
    private readonly EventLog _events;
    private readonly ILogger _log;
    private bool _pumping;

    public DeliveryPump(SimulatedBoxOptions options, StationGate gate, CsmsLink link, MessageQueue queue, BootSequence boot,
        EventLog events, ILogger log)
    {
        _options = options;
        _gate = gate;
        _link = link;
        _queue = queue;
        _boot = boot;
        _events = events;
        _log = log;
        gate.BeforeRelease = TakeStart;
    }

    /// <summary>Delivers until nothing is deliverable; returns at once when a delivery is already running.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
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

    /// <summary>As the lock is released: start delivering when something new is deliverable.</summary>
    private Action? TakeStart()
    {
        if (!_link.TakeKick()) return null;
        if (!_link.AutoDeliver || _pumping || !_link.CanDeliver()) return null;
        _pumping = true;
        return () => _ = RunAsync();
    }

    private async Task RunAsync()
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
            if (_gate.Locked(TakeNext) is not { } next) return;
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

            try { _gate.Mutate(now => OnCallCompleted(now, message, generation, response, error, lost)); }
            catch
            {
                _gate.Locked(() => _pumping = false);
                throw;
            }
        }
    }

    /// <summary>The BootNotification while it is due, then the queue; null (and the pump stops) when nothing can go.</summary>
    private (Outgoing Message, ICsmsChannel Channel, long Generation, bool InProcess)? TakeNext()
    {
        if (_gate.IsDisposed || !_link.CanDeliver())
        {
            _pumping = false;
            return null;
        }
        var message = _boot.IsDue ? _boot.TakeNotification() : _queue.Take();
        return (message, _link.Channel!, _link.Generation, _link.InProcess);
    }

    private void OnCallCompleted(DateTimeOffset now, Outgoing message, long generation, JsonNode? response,
        OcppCallErrorException? error, Exception? lost)
    {
        _events.Add(now, SimulatorEventKind.MessageSent, message.Action, message.Payload, response, error?.ErrorCode,
            lost is null ? null : "lost");
        if (lost is not null)
        {
            if (message.Action == "BootNotification") _boot.OnNotificationLost();
            if (lost is TimeoutException)
            {
                // No answer in time: retry a TransactionEvent up to MessageAttempts, drop anything else.
                if (message.IsTransactionEvent && message.Attempts + 1 < MessageAttempts)
                {
                    _queue.AddFirst([message with { Attempts = message.Attempts + 1 }]);
                    _link.Kick();
                }
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
            // Quirk 2: an error reply to a message the box insists on breaks the session.
            if (message.Extra && _options.Quirks.ExtraMessages && generation == _link.Generation)
                _link.Lose(now, $"CALLERROR {error.ErrorCode} to {message.Action} broke the session", closeChannel: true);
            return;
        }
        _queue.Delivered(message);
    }
}

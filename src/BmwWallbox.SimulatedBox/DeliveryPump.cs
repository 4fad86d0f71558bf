using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// Delivers queued station→CSMS messages one CALL at a time (the box never has two outstanding): by
/// itself on a socket, only on <see cref="FlushAsync"/> in-process so a virtual-time run stays
/// deterministic. A lost connection requeues TransactionEvents; a timed-out one is retried.
/// </summary>
internal sealed class DeliveryPump(SimulatedBoxOptions options, StationGate gate, CsmsLink link, MessageQueue queue,
    BootSequence boot, EventLog events, ILogger log)
{
    /// <summary>OCPPCommCtrlr.MessageAttempts for TransactionEvents.</summary>
    private const int MessageAttempts = 3;
    private bool _pumping;

    /// <summary>Delivers until nothing is deliverable; returns at once when a delivery is already running.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var start = gate.Locked(() =>
        {
            gate.ThrowIfDisposed();
            if (_pumping) return false;
            _pumping = true;
            return true;
        });
        if (!start) return;
        await PumpAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>As the lock is released (<see cref="StationGate.BeforeRelease"/>): start delivering when something new is deliverable.</summary>
    public Action? TakeStart()
    {
        if (!link.TakeKick()) return null;
        if (!link.AutoDeliver || _pumping || !link.CanDeliver()) return null;
        _pumping = true;
        return () => _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try { await PumpAsync(gate.Lifetime).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        catch (Exception e) { log.LogError(e, "Station {StationId}: delivery failed", options.StationId); }
    }

    /// <summary>Delivers one CALL at a time until nothing is deliverable. Caller has set <c>_pumping</c>.</summary>
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (gate.Locked(TakeNext) is not { } next) return;
            var (message, channel, generation, inProcess) = next;

            JsonNode? response = null;
            OcppCallErrorException? error = null;
            Exception? lost = null;
            try
            {
                var payload = inProcess && !channel.SerializesPayloads ? OcppJson.WireCopy(message.Payload) : message.Payload;
                response = await channel.CallAsync(message.Action, payload, cancellationToken).ConfigureAwait(false);
            }
            catch (OcppCallErrorException e) { error = e; }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                gate.Locked(() => { queue.Requeue(message); _pumping = false; });
                throw;
            }
            catch (Exception e) { lost = e; }

            try { gate.Mutate(now => OnCallCompleted(now, message, generation, response, error, lost)); }
            catch
            {
                gate.Locked(() => _pumping = false);
                throw;
            }
        }
    }

    /// <summary>The BootNotification while it is due, then the queue; null (and the pump stops) when nothing can go.</summary>
    private (Outgoing Message, ICsmsChannel Channel, long Generation, bool InProcess)? TakeNext()
    {
        if (gate.IsDisposed || !link.CanDeliver())
        {
            _pumping = false;
            return null;
        }
        var message = boot.IsDue ? boot.TakeNotification() : queue.Take();
        return (message, link.Channel!, link.Generation, link.InProcess);
    }

    private void OnCallCompleted(DateTimeOffset now, Outgoing message, long generation, JsonNode? response,
        OcppCallErrorException? error, Exception? lost)
    {
        events.Add(now, SimulatorEventKind.MessageSent, message.Action, message.Payload, response, error?.ErrorCode,
            lost is null ? null : "lost");
        if (lost is not null)
        {
            if (message.Action == "BootNotification") boot.OnNotificationLost();
            if (lost is TimeoutException)
            {
                // No answer in time: retry a TransactionEvent up to MessageAttempts, drop anything else.
                if (message.IsTransactionEvent && message.Attempts + 1 < MessageAttempts)
                {
                    queue.AddFirst([message with { Attempts = message.Attempts + 1 }]);
                    link.Kick();
                }
                if (message.Action == "BootNotification") link.RetryBootLater();
                return;
            }
            queue.Requeue(message);
            if (generation == link.Generation) link.Lose(now, $"connection lost: {lost.Message}", closeChannel: true);
            return;
        }
        if (message.Action == "BootNotification")
        {
            if (generation == link.Generation) link.OnBootAnswer(now, response, error);
            return;
        }
        if (error is not null)
        {
            log.LogWarning("Station {StationId}: CSMS answered {Action} with {Code}: {Description}",
                options.StationId, message.Action, error.ErrorCode, error.Description);
            // Quirk 2: an error reply to a message the box insists on breaks the session.
            if (message.Extra && options.Quirks.ExtraMessages && generation == link.Generation)
                link.Lose(now, $"CALLERROR {error.ErrorCode} to {message.Action} broke the session", closeChannel: true);
            return;
        }
        queue.Delivered(message);
    }
}

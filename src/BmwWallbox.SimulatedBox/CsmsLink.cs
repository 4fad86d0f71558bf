using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// The box's session with its CSMS: opened by a socket or attached in-process, lost on drops and
/// reboots, reopened after back-off; nothing but the BootNotification before it is accepted, then
/// heartbeats. Quirk 1 strict: a desynchronised session answers every call with an error until the next.
/// </summary>
internal sealed class CsmsLink
{
    private readonly SimulatedBoxOptions _options;
    private readonly StationGate _gate;
    private readonly MessageQueue _queue;
    private readonly BootSequence _boot;
    private readonly Availability _availability;
    private readonly DeviceModel _device;
    private readonly EventLog _events;
    private readonly ILogger _log;
    private readonly BoxTimer _heartbeatTimer;
    private readonly BoxTimer _bootRetryTimer;
    private readonly BoxTimer _reconnectTimer;
    private int _reconnectAttempt;
    /// <summary>Something new may be deliverable: the pump is started as the lock is released.</summary>
    private bool _kick;

    public CsmsLink(SimulatedBoxOptions options, StationGate gate, MessageQueue queue, BootSequence boot,
        Availability availability, DeviceModel device, EventLog events, ILogger log)
    {
        _options = options;
        _gate = gate;
        _queue = queue;
        _boot = boot;
        _availability = availability;
        _device = device;
        _events = events;
        _log = log;
        _heartbeatTimer = gate.NewTimer(OnHeartbeatTimer);
        _bootRetryTimer = gate.NewTimer(OnBootRetryTimer);
        _reconnectTimer = gate.NewTimer(OnReconnectTimer);
    }

    /// <summary>
    /// The session may carry ordinary messages (at once, or once the BootNotification is accepted:
    /// <c>afterBoot</c>): the station queues what a fresh session starts with.
    /// </summary>
    public Action<DateTimeOffset, bool>? SessionReady { get; set; }

    public ICsmsChannel? Channel { get; private set; }
    /// <summary>In-process the channel is the CSMS for good and the box reconnects to it by itself.</summary>
    public bool InProcess { get; private set; }
    /// <summary>On a socket messages go out by themselves; in-process only on FlushAsync.</summary>
    public bool AutoDeliver { get; private set; }
    public bool IsOpen { get; private set; }
    /// <summary>Changes with every open and loss, so late answers from an old session are recognised.</summary>
    public long Generation { get; private set; }
    public bool IsDesynchronised { get; private set; }
    public bool IsBootAccepted => IsOpen && _boot.IsAccepted;

    public void Connect(DateTimeOffset now, ICsmsChannel channel)
    {
        if (_availability.Rebooting) throw new InvalidOperationException("The box is rebooting; await WaitUntilCanConnectAsync first.");
        if (IsOpen) throw new InvalidOperationException("A session is already open.");
        Channel = channel;
        InProcess = false;
        AutoDeliver = true;
        Open(now);
    }

    /// <summary>The transport lost the session; ignored for a channel that is no longer current.</summary>
    public void Disconnect(DateTimeOffset now, ICsmsChannel channel, string reason)
    {
        if (!ReferenceEquals(channel, Channel)) return;
        Lose(now, reason, closeChannel: false);
        Channel = null;
    }

    public void AttachInProcess(DateTimeOffset now, ICsmsChannel channel)
    {
        if (Channel is not null) throw new InvalidOperationException("A CSMS channel is already attached.");
        Channel = channel;
        InProcess = true;
        AutoDeliver = false;
        if (!_availability.Rebooting) Open(now);
    }

    /// <summary>After a reboot the in-process box reconnects at once (a socket transport dials by itself).</summary>
    public void ReopenAfterReboot(DateTimeOffset now)
    {
        if (InProcess && Channel is not null) Open(now);
    }

    /// <summary>The session ends; the channel's Close is called (after the lock) when <paramref name="closeChannel"/>.</summary>
    public void Lose(DateTimeOffset now, string reason, bool closeChannel)
    {
        if (!IsOpen) return;
        IsOpen = false;
        Generation++;
        _boot.OnSessionLost();
        _heartbeatTimer.Disarm();
        _bootRetryTimer.Disarm();
        _queue.DropAllButTransactionEvents();
        _log.LogInformation("Station {StationId}: session closed: {Reason}", _options.StationId, reason);
        _events.Add(now, SimulatorEventKind.Disconnected, detail: reason);
        var channel = Channel;
        if (closeChannel && channel is not null) _gate.Defer(() => channel.Close(reason));
        if (!InProcess) Channel = null;
        else if (!_availability.Rebooting) _reconnectTimer.Arm(Backoff(_reconnectAttempt++));
    }

    /// <summary>A reboot is under way: no reconnect before it ends.</summary>
    public void StopReconnecting() => _reconnectTimer.Disarm();

    public TimeSpan Backoff(int attempt)
    {
        var delay = _options.ReconnectDelayMin * Math.Pow(2, Math.Min(attempt, 20));
        return delay > _options.ReconnectDelayMax ? _options.ReconnectDelayMax : delay;
    }

    /// <summary>Quirk 1 strict: the session is broken until the next one.</summary>
    public void Desynchronise(DateTimeOffset now, string why)
    {
        if (IsDesynchronised) return;
        IsDesynchronised = true;
        _log.LogWarning("Station {StationId}: session desynchronised: {Why}", _options.StationId, why);
        _events.Add(now, SimulatorEventKind.Desynchronised, detail: why);
    }

    /// <summary>Quirk 1 strict: a reply with an id the box is not waiting for breaks the session.</summary>
    public void ReportUnknownMessageId(DateTimeOffset now, string messageId)
    {
        _log.LogWarning("Station {StationId}: reply with unknown message id {MessageId}", _options.StationId, messageId);
        if (_options.Quirks.StrictMessageIds) Desynchronise(now, $"reply with unknown message id '{messageId}'");
    }

    /// <summary>The answer to this session's BootNotification.</summary>
    public void OnBootAnswer(DateTimeOffset now, JsonNode? response, OcppCallErrorException? error)
    {
        if (!_boot.OnAnswer(response, error, out var retryAfter))
        {
            _bootRetryTimer.Arm(retryAfter);
            return;
        }
        _events.Add(now, SimulatorEventKind.BootAccepted);
        Ready(now, afterBoot: true);
    }

    /// <summary>The BootNotification got no answer in time.</summary>
    public void RetryBootLater() => _bootRetryTimer.Arm(BootSequence.DefaultRetry);

    /// <summary>HeartbeatInterval may have changed (SetVariables).</summary>
    public void RearmHeartbeat()
    {
        if (IsBootAccepted && _options.SendHeartbeats) _heartbeatTimer.ArmPeriodic(_device.HeartbeatIntervalSeconds);
    }

    /// <summary>Queues a message; while offline only TransactionEvents are kept (marked offline).</summary>
    public void Send(Outgoing message)
    {
        if (!IsOpen && !message.IsTransactionEvent) return;
        _queue.Add(message);
        _kick = true;
    }

    /// <summary>Something may be deliverable now (the pump starts as the lock is released).</summary>
    public void Kick() => _kick = true;

    public bool TakeKick()
    {
        var kick = _kick;
        _kick = false;
        return kick;
    }

    /// <summary>There is a session, and its BootNotification or (once accepted) a queued message to send.</summary>
    public bool CanDeliver() =>
        IsOpen && Channel is not null &&
        (_boot.IsDue || (_boot.IsAccepted && !_queue.IsEmpty));

    private void Open(DateTimeOffset now)
    {
        IsOpen = true;
        Generation++;
        IsDesynchronised = false;
        var ready = _boot.OnSessionOpened();
        _log.LogInformation("Station {StationId}: session open (boot required: {BootRequired})", _options.StationId, !ready);
        _events.Add(now, SimulatorEventKind.Connected);
        if (ready) Ready(now, afterBoot: false);
        _kick = true;
    }

    private void Ready(DateTimeOffset now, bool afterBoot)
    {
        _reconnectAttempt = 0;
        if (_options.SendHeartbeats) _heartbeatTimer.ArmPeriodic(_device.HeartbeatIntervalSeconds);
        SessionReady?.Invoke(now, afterBoot);
        _kick = true;
    }

    private void OnReconnectTimer(DateTimeOffset now)
    {
        if (InProcess && Channel is not null && !IsOpen && !_availability.Rebooting) Open(now);
    }

    private void OnBootRetryTimer(DateTimeOffset now)
    {
        if (IsOpen && _boot.Retry()) _kick = true;
    }

    private void OnHeartbeatTimer(DateTimeOffset now)
    {
        if (IsBootAccepted && !_queue.Contains("Heartbeat")) Send(new Outgoing("Heartbeat", []));
    }
}

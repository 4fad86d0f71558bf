using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.SimulatedBox;

// The link to the CSMS: sessions, reboot and the delivery pump.
public sealed partial class SimulatedWallbox
{
    private readonly MessageQueue _queue = new();
    private readonly BootSequence _boot;
    private readonly CsmsLink _link;
    private readonly DeliveryPump _pump;

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
    public Task FlushAsync(CancellationToken cancellationToken = default) => _pump.FlushAsync(cancellationToken);

    /// <summary>Quirk 1 strict: a reply with an id the box is not waiting for breaks the session.</summary>
    internal void ReportUnknownMessageId(string messageId) => Mutate(now => _link.ReportUnknownMessageId(now, messageId));

    internal void RecordConnectFailed(string error) => Record(_time.GetUtcNow(), SimulatorEventKind.ConnectFailed, detail: error);

    internal TimeSpan Backoff(int attempt) => _link.Backoff(attempt);

    /// <summary>The session may carry ordinary messages: queue what a fresh session starts with.</summary>
    private void OnSessionReady(DateTimeOffset now, bool afterBoot)
    {
        if (!afterBoot && _quirks.StaleTransactionIdAfterReconnect && _transactions.Current is not null) _transactions.RenewId();

        var first = new List<Outgoing> { _controller.StatusNotification(now) };
        if (afterBoot && _quirks.ExtraMessages) first.AddRange(UnexpectedMessages.AtBoot(now, _boot, _controller.ConnectorStatus, _device));
        if (!afterBoot && _quirks.ReplayDeliveredEvents) first.AddRange(_queue.TakeReplay());
        _queue.AddFirst(first);

        if (afterBoot) _transactions.Start(now, "CablePluggedIn");
        _controller.Update(now);
    }
}

using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.SimulatedBox;

/// <summary>One WebSocket connection: OCPP-J framing, the box's single outstanding CALL, replies to the CSMS.</summary>
internal sealed class SocketSession(WebSocket socket, SimulatedWallbox wallbox, SimulatedBoxClientOptions options, TimeProvider time, ILogger log)
    : ICsmsChannel
{
    private const int MaxMessageBytes = 1 << 20;
    /// <summary>How long a closing box waits for the CSMS to answer its close frame (real time: a transport matter).</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly object _lock = new();
    private (string Id, TaskCompletionSource<JsonNode> Done)? _pending;
    private volatile string? _closeReason;

    public string CloseReason => _closeReason ?? "connection closed";

    public async Task<JsonNode> CallAsync(string action, JsonObject payload, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        var done = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_pending is not null) throw new InvalidOperationException("The box already has a CALL outstanding.");
            _pending = (id, done);
        }
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
            await SendAsync(OcppFraming.Call(id, action, payload), linked.Token).ConfigureAwait(false);
            return await done.Task.WaitAsync(options.CallTimeout, time, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WebSocketException($"connection closed while waiting for the {action} reply");
        }
        finally
        {
            lock (_lock) if (_pending?.Id == id) _pending = null;
        }
    }

    /// <summary>
    /// The box ends the session (reboot, broken session). What it sent before still reaches the CSMS
    /// (the answer to a Reset above all): a close frame follows it, and the connection is cut once
    /// the CSMS answers the close or after a short grace. Cutting at once could lose that answer.
    /// </summary>
    public void Close(string reason)
    {
        _closeReason ??= reason;
        _ = CloseGracefullyAsync();
    }

    /// <summary>A network failure: the connection is cut at once, nothing more goes out.</summary>
    public void Abort(string reason)
    {
        _closeReason ??= reason;
        socket.Abort();
        _closed.Cancel();
    }

    private async Task CloseGracefullyAsync()
    {
        using var grace = new CancellationTokenSource(CloseGrace);
        try
        {
            await _sendLock.WaitAsync(grace.Token).ConfigureAwait(false);
            try
            {
                var description = CloseReason.Length > 100 ? CloseReason[..100] : CloseReason;
                await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, description, grace.Token).ConfigureAwait(false);
            }
            finally { _sendLock.Release(); }
            // RunAsync ends (and cancels _closed) when the CSMS's close arrives.
            await Task.Delay(Timeout.InfiniteTimeSpan, _closed.Token).WaitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // closed (or cut) already, or the CSMS did not answer in time
        }
        Abort(CloseReason);
    }

    /// <summary>Reads frames until the socket closes.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var message = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (read.MessageType == WebSocketMessageType.Close)
                {
                    _closeReason ??= $"closed by CSMS ({socket.CloseStatus} {socket.CloseStatusDescription})";
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                    break;
                }
                message.Write(buffer.AsSpan(0, read.Count));
                if (message.WrittenCount > MaxMessageBytes)
                {
                    _closeReason ??= "message larger than 1 MiB";
                    break;
                }
                if (!read.EndOfMessage) continue;
                OnMessage(message.WrittenSpan);
                message.ResetWrittenCount();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            _closeReason ??= cancellationToken.IsCancellationRequested ? "client stopped" : $"connection lost: {e.Message}";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _closed.Cancel();
            socket.Abort();
            lock (_lock) _pending?.Done.TrySetException(new WebSocketException(CloseReason));
        }
    }

    private void OnMessage(ReadOnlySpan<byte> utf8)
    {
        OcppFrame frame;
        try { frame = OcppFraming.Parse(utf8); }
        catch (OcppFrameException e)
        {
            log.LogWarning("Station {StationId}: unusable frame: {Error}", wallbox.StationId, e.Message);
            _ = SendQuietlyAsync(OcppFraming.Error(e.Id, e.Code, e.Message, null));
            return;
        }
        switch (frame)
        {
            case CallFrame call:
                _ = AnswerAsync(call);
                break;
            case CallResultFrame result:
                Complete(result.Id, done => done.TrySetResult(result.Payload ?? new JsonObject()));
                break;
            case CallErrorFrame error:
                Complete(error.Id, done => done.TrySetException(new OcppCallErrorException(error.Code, error.Description, error.Details)));
                break;
        }
    }

    private void Complete(string id, Action<TaskCompletionSource<JsonNode>> complete)
    {
        TaskCompletionSource<JsonNode>? done = null;
        lock (_lock)
        {
            if (_pending?.Id == id)
            {
                done = _pending.Value.Done;
                _pending = null;
            }
        }
        if (done is not null) complete(done);
        else wallbox.ReportUnknownMessageId(id);
    }

    private async Task AnswerAsync(CallFrame call)
    {
        try
        {
            var outcome = await wallbox.HandleIncomingAsync(call.Action, call.Payload, _closed.Token).ConfigureAwait(false);
            var reply = outcome.Error is { } e
                ? OcppFraming.Error(call.Id, e.ErrorCode, e.Description, e.Details)
                : OcppFraming.Result(call.Id, outcome.Result!);
            await SendAsync(reply, _closed.Token).ConfigureAwait(false);
            outcome.AfterReply?.Invoke();
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            log.LogDebug("Station {StationId}: reply to {Action} not sent: {Error}", wallbox.StationId, call.Action, e.Message);
        }
        catch (Exception e)
        {
            log.LogError(e, "Station {StationId}: handling {Action} failed", wallbox.StationId, call.Action);
        }
    }

    private async Task SendQuietlyAsync(byte[] frame)
    {
        try { await SendAsync(frame, _closed.Token).ConfigureAwait(false); }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException) { }
    }

    private async Task SendAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try { await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false); }
        finally { _sendLock.Release(); }
    }
}

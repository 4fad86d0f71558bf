using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Ocpp.Rpc;

/// <summary>
/// OCPP-J over one connection: answers the station's CALLs through a handler and sends our
/// CALLs strictly one at a time (further calls queue). A call that gets no answer within the
/// timeout is reported as timed out, but it keeps the line until its late answer arrives (for
/// at most one more timeout): a BMW box that receives the next CALL before it has answered the
/// previous one desynchronises the session for good (quirk 1). The late answer is then dropped;
/// an answer that comes later still, or with an unknown id, is logged and dropped, so it can
/// never be taken for the answer to a later call.
/// </summary>
internal sealed class RpcConnection
{
    private readonly IMessageTransport _transport;
    private readonly RpcCallHandler _handler;
    private readonly TimeSpan _callTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<string> _newMessageId;
    private readonly Channel<OutgoingCall> _queue = Channel.CreateUnbounded<OutgoingCall>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _lock = new();
    private OutgoingCall? _inFlight;

    public RpcConnection(
        string stationId,
        IMessageTransport transport,
        RpcCallHandler handler,
        TimeSpan callTimeout,
        TimeProvider time,
        ILogger logger,
        Func<string>? newMessageId = null)
    {
        StationId = stationId;
        _transport = transport;
        _handler = handler;
        _callTimeout = callTimeout;
        _time = time;
        _logger = logger;
        // A GUID is 36 characters, the OCPP maximum, and never repeats towards a station.
        _newMessageId = newMessageId ?? (() => Guid.NewGuid().ToString());
    }

    public string StationId { get; }

    /// <summary>
    /// Queues a CALL. Cancelling <paramref name="ct"/> abandons the caller's wait only: a call
    /// already on the wire still holds the line until it is answered or times out.
    /// </summary>
    public Task<RpcResponse> CallAsync(string action, string payloadJson, CancellationToken ct)
    {
        var call = new OutgoingCall(action, payloadJson, ct);
        return _queue.Writer.TryWrite(call) ? call.Completion.Task.WaitAsync(ct) : Task.FromResult(RpcResponse.Closed);
    }

    /// <summary>Runs until the transport closes or <paramref name="ct"/> is cancelled; then fails every open call as Closed.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sender = SendCallsAsync(stop);
        try
        {
            await ReceiveAsync(stop.Token);
        }
        finally
        {
            _queue.Writer.TryComplete();
            await stop.CancelAsync();
            await sender;
            OutgoingCall? inFlight;
            lock (_lock) (inFlight, _inFlight) = (_inFlight, null);
            inFlight?.Completion.TrySetResult(RpcResponse.Closed);
            while (_queue.Reader.TryRead(out var queued)) queued.Completion.TrySetResult(RpcResponse.Closed);
        }
    }

    /// <summary>Closes from our side; the peer's close reply then ends <see cref="RunAsync"/>.</summary>
    public async ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            await _transport.CloseAsync(status, reason, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveAsync(CancellationToken ct)
    {
        while (await _transport.ReceiveAsync(ct) is { } utf8)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
                _logger.LogDebug("{StationId} {Direction} {Frame}", StationId, "in", Encoding.UTF8.GetString(utf8.Span));
            var frame = RpcFrame.Parse(utf8, out var document);
            try
            {
                switch (frame)
                {
                    case RpcCall call:
                        await AnswerAsync(call, ct);
                        break;
                    case RpcCallResult result:
                        Complete(result.MessageId, new RpcResponse(RpcOutcome.Result, result.Payload));
                        break;
                    case RpcCallError error:
                        Complete(error.MessageId, new RpcResponse(RpcOutcome.Error, default, error.ErrorCode, error.Description));
                        break;
                    case RpcBadFrame bad:
                        _logger.LogWarning("{StationId} sent a broken frame ({Reason}); {Handling}", StationId, bad.Reason,
                            bad.ErrorCode is null ? "dropped" : $"answered with {bad.ErrorCode}");
                        if (bad is { ReplyId: { } id, ErrorCode: { } code })
                            await SendErrorAsync(id, code, bad.Reason, ct);
                        break;
                }
            }
            finally
            {
                document?.Dispose(); // the CALL is answered: its payload is no longer read
            }
        }
    }

    private async Task AnswerAsync(RpcCall call, CancellationToken ct)
    {
        RpcReply reply;
        try
        {
            reply = await _handler(call.Action, call.Payload, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "{StationId} {Action} {MessageId} failed in our handler", StationId, call.Action, call.MessageId);
            reply = RpcReply.Error(RpcErrorCode.InternalError, $"{call.Action} could not be processed: {e.Message}");
        }

        if (reply.ErrorCode is { } code)
        {
            _logger.LogWarning("{StationId} {Action} {MessageId} answered with {ErrorCode}: {Description}", StationId, call.Action, call.MessageId, code, reply.ErrorDescription);
            await SendErrorAsync(call.MessageId, code, reply.ErrorDescription ?? "", ct);
            return;
        }

        using var frame = new PooledBufferWriter();
        RpcFrame.WriteResult(frame, call.MessageId, reply);
        await SendAsync(frame, ct);
    }

    private async Task SendErrorAsync(string messageId, string code, string description, CancellationToken ct)
    {
        using var frame = new PooledBufferWriter();
        RpcFrame.WriteError(frame, messageId, code, description);
        await SendAsync(frame, ct);
    }

    private void Complete(string messageId, RpcResponse response)
    {
        OutgoingCall? call = null;
        lock (_lock)
        {
            if (_inFlight is { } inFlight && inFlight.MessageId == messageId)
                (call, _inFlight) = (inFlight, null);
        }

        if (call is null)
        {
            _logger.LogWarning("{StationId} answered message {MessageId}, which is not outstanding (late or unknown); dropped", StationId, messageId);
            return;
        }
        call.MarkAnswered();
        if (!call.Completion.TrySetResult(response))
            _logger.LogInformation("{StationId} answered {Action} {MessageId} late, after it timed out; the answer is dropped and the next call goes out",
                StationId, call.Action, messageId);
    }

    private async Task SendCallsAsync(CancellationTokenSource stop)
    {
        try
        {
            await foreach (var call in _queue.Reader.ReadAllAsync(stop.Token))
            {
                if (call.CallerToken.IsCancellationRequested)
                    continue; // nobody waits for it any more, and it never reached the station
                call.MessageId = _newMessageId();
                lock (_lock) _inFlight = call;
                // The clock starts before the frame leaves, so the timeout covers the whole round trip.
                var answered = call.AnsweredWithinAsync(_callTimeout, _time, stop.Token);
                using (var frame = new PooledBufferWriter())
                {
                    RpcFrame.WriteCall(frame, call.MessageId, call.Action, call.PayloadJson);
                    await SendAsync(frame, stop.Token);
                }
                if (!await answered) await WaitForLateAnswerAsync(call, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _logger.LogWarning("{StationId} sending failed, closing the connection: {Error}", StationId, e.Message);
            await stop.CancelAsync();
        }
    }

    /// <summary>
    /// The caller hears "timed out" now; the line stays reserved for the late answer (quirk 1),
    /// for at most one more timeout. Without an answer by then the call is given up and the queue goes on.
    /// </summary>
    private async Task WaitForLateAnswerAsync(OutgoingCall call, CancellationToken ct)
    {
        var lateAnswer = call.AnsweredWithinAsync(_callTimeout, _time, ct); // armed before the caller hears of the timeout
        if (!call.Completion.TrySetResult(RpcResponse.TimedOut)) return; // answered at the last moment
        _logger.LogWarning("{StationId} did not answer {Action} {MessageId} within {Timeout}; reported as timed out, the next call waits up to {Timeout} more for the late answer",
            StationId, call.Action, call.MessageId, _callTimeout, _callTimeout);
        if (await lateAnswer) return;
        lock (_lock)
        {
            if (_inFlight != call) return; // answered at the last moment
            _inFlight = null;
        }
        _logger.LogWarning("{StationId} still did not answer {Action} {MessageId}; the call is given up and an answer to it will be ignored",
            StationId, call.Action, call.MessageId);
    }

    private async ValueTask SendAsync(PooledBufferWriter frame, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            if (_logger.IsEnabled(LogLevel.Debug))
                _logger.LogDebug("{StationId} {Direction} {Frame}", StationId, "out", Encoding.UTF8.GetString(frame.WrittenMemory.Span));
            await _transport.SendAsync(frame.WrittenMemory, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private sealed class OutgoingCall(string action, string payloadJson, CancellationToken callerToken)
    {
        public string Action { get; } = action;
        public string PayloadJson { get; } = payloadJson;
        public CancellationToken CallerToken { get; } = callerToken;
        public string? MessageId { get; set; }
        /// <summary>What the caller gets: the answer, or TimedOut.</summary>
        public TaskCompletionSource<RpcResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // The wait for the answer (in time or late) with its own deadline timer, stopped on the answering thread before
        // the caller hears the answer. (Task.WaitAsync's timer was disposed later on the thread pool, so simulate's
        // virtual clock could still see it due 15 s on and stop there, a stop one run made and the next did not.)
        private readonly Lock _gate = new();
        private bool _answered;
        private TaskCompletionSource<bool>? _wait;
        private ITimer? _deadline;

        /// <summary>True once the station answered, false when <paramref name="timeout"/> passed first.</summary>
        public async Task<bool> AnsweredWithinAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
        {
            Task<bool> wait;
            lock (_gate)
            {
                if (_answered) return true;
                _wait = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                _deadline = time.CreateTimer(static call => ((OutgoingCall)call!).EndWait(answered: false), this, timeout, Timeout.InfiniteTimeSpan);
                wait = _wait.Task;
            }
            // A connection that stops ends the wait (and its timer) at once, as an answer does.
            await using var stopped = ct.UnsafeRegister(static call => ((OutgoingCall)call!).EndWait(answered: null), this);
            return await wait;
        }

        /// <summary>The station answered: the line is free for the next call.</summary>
        public void MarkAnswered()
        {
            lock (_gate) _answered = true;
            EndWait(answered: true);
        }

        /// <param name="answered">null: the connection stopped.</param>
        private void EndWait(bool? answered)
        {
            TaskCompletionSource<bool>? wait;
            lock (_gate)
            {
                (wait, _wait) = (_wait, null);
                _deadline?.Dispose();
                _deadline = null;
            }
            if (answered is { } a) wait?.TrySetResult(a);
            else wait?.TrySetCanceled();
        }
    }
}

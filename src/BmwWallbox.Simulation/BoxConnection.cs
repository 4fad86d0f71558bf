using System.Text.Json.Nodes;
using BmwWallbox.Ocpp;
using BmwWallbox.SimulatedBox;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Simulation;

/// <summary>
/// Connects the simulated box to the in-process CSMS the way its WebSocket would: OCPP-J text frames in
/// both directions, one session per connection. The box reconnects by itself after a reboot (in virtual
/// time); its first message then opens a new session, as a reconnecting socket would.
/// </summary>
internal sealed class BoxConnection(SimulatedWallbox box, InProcessCsms csms, ILogger logger) : ICsmsChannel
{
    private readonly SimulatedWallbox _box = box;
    private readonly InProcessCsms _csms = csms;
    private readonly Lock _lock = new();
    private readonly List<Task> _closing = [];
    private Session? _session;
    private long _nextId;

    /// <summary>Sessions the box closed whose end the CSMS has not processed yet.</summary>
    public bool HasClosingSessions
    {
        get { lock (_lock) return _closing.Count > 0; }
    }

    /// <summary>Completes once the CSMS has processed the end of every session the box closed.</summary>
    public async Task WhenSessionsClosedAsync(CancellationToken ct)
    {
        Task[] closing;
        lock (_lock)
        {
            closing = [.. _closing];
            _closing.Clear();
        }
        if (closing.Length > 0) await Task.WhenAll(closing).WaitAsync(ct);
    }

    /// <summary>Each payload becomes frame text at once, so the box hands over its own objects.</summary>
    public bool SerializesPayloads => true;

    public async Task<JsonNode> CallAsync(string action, JsonObject payload, CancellationToken cancellationToken)
    {
        Session? session;
        lock (_lock) session = _session;
        if (session is null)
        {
            // The first message after a reboot or drop: the box has reconnected.
            session = new Session(this);
            lock (_lock) _session = session;
        }
        var id = "s" + Interlocked.Increment(ref _nextId);
        var reply = session.Expect(id, action);
        if (!session.Csms.Send($"[2,\"{id}\",\"{action}\",{payload.ToJsonString()}]"))
            throw new IOException($"session closed before {action} was sent");
        return await reply.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the connection is waiting for, for the watchdog's message.</summary>
    public string Describe()
    {
        Session? session;
        lock (_lock) session = _session;
        return session?.Describe() ?? "no session";
    }

    public void Close(string reason)
    {
        Session? session;
        lock (_lock)
        {
            (session, _session) = (_session, null);
            if (session is null) return;
            _closing.Add(session.Csms.Completion);
        }
        logger.LogDebug("Box closed its session: {Reason}", reason);
        session.Close(reason);
    }

    /// <summary>One connection: what the CSMS sends goes to the box; the box's one outstanding CALL waits for its reply.</summary>
    private sealed class Session
    {
        private readonly BoxConnection _owner;
        private readonly Lock _lock = new();
        private (string Id, TaskCompletionSource<JsonNode> Done)? _pending;
        private string _pendingAction = "";
        private string? _answeringAction;
        private bool _answering;
        private bool _closeAfterAnswer;
        private bool _closed;
        /// <summary>Set once Connect has returned; see <see cref="ToBoxAsync"/>.</summary>
        private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Session(BoxConnection owner)
        {
            _owner = owner;
            Csms = owner._csms.Connect(owner._box.StationId, ToBoxAsync);
            _connected.TrySetResult();
        }

        public InProcessSession Csms { get; private set; } = null!;

        public Task<JsonNode> Expect(string id, string action)
        {
            var done = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                if (_closed) throw new IOException("session closed");
                _pending = (id, done);
                _pendingAction = action;
            }
            return done.Task;
        }

        public string Describe()
        {
            lock (_lock)
                return (_closed ? "session closed" : "session open")
                    + (_pending is { } p ? $"; the box's {_pendingAction} ({p.Id}) has no answer yet" : "")
                    + (_answeringAction is { } a ? $"; the box is answering the CSMS's {a}" : "");
        }

        /// <summary>A reboot closes the session while the box answers Reset: the answer still goes out first.</summary>
        public void Close(string reason)
        {
            TaskCompletionSource<JsonNode>? pending;
            bool closeNow;
            lock (_lock)
            {
                _closed = true;
                pending = _pending?.Done;
                _pending = null;
                closeNow = !_answering;
                _closeAfterAnswer = _answering;
            }
            pending?.TrySetException(new IOException($"connection closed: {reason}"));
            if (closeNow) Csms.Close();
        }

        private async ValueTask ToBoxAsync(string frame, CancellationToken ct)
        {
            // The CSMS can send its first frame while Connect is still running (a command the controller queued on
            // the Connected event goes out as the session starts), before Csms is set: the answer would go nowhere,
            // the CSMS would close the session and the box's BootNotification would wait forever.
            await _connected.Task.WaitAsync(ct).ConfigureAwait(false);
            if (JsonNode.Parse(frame) is not JsonArray message || message.Count < 3) return;
            var id = message[1]!.GetValue<string>();
            switch (message[0]!.GetValue<int>())
            {
                case 2:
                    await AnswerAsync(id, message[2]!.GetValue<string>(), message.Count > 3 ? message[3] : null, ct).ConfigureAwait(false);
                    break;
                case 3:
                    if (Take(id) is { } result) result.TrySetResult(message[2] ?? new JsonObject());
                    break;
                case 4:
                    if (Take(id) is { } failed)
                        failed.TrySetException(new OcppCallErrorException(message[2]!.GetValue<string>(),
                            message.Count > 3 ? message[3]!.GetValue<string>() : "", message.Count > 4 ? message[4] as JsonObject : null));
                    break;
            }
        }

        private async Task AnswerAsync(string id, string action, JsonNode? payload, CancellationToken ct)
        {
            lock (_lock)
            {
                if (_closed) return; // like a frame into a socket the box already dropped
                _answering = true;
                _answeringAction = action;
            }
            string reply;
            try
            {
                var result = await _owner._box.HandleCallAsJsonAsync(action, payload, ct).ConfigureAwait(false);
                reply = $"[3,\"{id}\",{result}]";
            }
            catch (OcppCallErrorException e)
            {
                reply = new JsonArray(4, id, e.ErrorCode, e.Description, e.Details?.DeepClone() ?? new JsonObject()).ToJsonString();
            }
            catch (InvalidOperationException)
            {
                reply = ""; // the box is offline (rebooting): no answer, the CSMS times the call out
            }
            bool close;
            lock (_lock)
            {
                _answering = false;
                _answeringAction = null;
                close = _closeAfterAnswer;
            }
            if (reply.Length > 0) Csms.Send(reply);
            if (close) Csms.Close();
        }

        private TaskCompletionSource<JsonNode>? Take(string id)
        {
            lock (_lock)
            {
                if (_pending is not { } pending || pending.Id != id) return null;
                _pending = null;
                return pending.Done;
            }
        }
    }
}

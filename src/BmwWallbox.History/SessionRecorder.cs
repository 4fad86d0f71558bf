using System.Collections.Concurrent;
using System.Threading.Channels;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.History;

/// <summary>
/// Records every charging session into the <see cref="SessionStore"/>, and is the <see cref="ISessionHistory"/>
/// the CLI, MQTT and the dashboard read.
/// <para>
/// A session is one OCPP transaction: the BMW box starts one when the car is plugged in
/// (TxStartPoint EVConnected) and ends it when it is unplugged (StopTxOnEVSideDisconnect), so plug-in to
/// unplug. It opens at the first state with an active transaction of a new id and closes when that
/// transaction ends, or when the connector turns Available without it (an Ended the box never sent).
/// A transaction id the history already has is that session again (quirk 12: a replay after a reconnect
/// or restart carries the same id): a session closed at a restart is reopened, one that ended properly is
/// left alone, so nothing is counted twice.
/// </para>
/// <para>
/// The event handlers only stamp the time and queue; one worker applies everything in order and writes.
/// The open session is saved at every transition (open, charging/paused, limit source, close) and at most
/// every save interval (30 s of virtual time) otherwise; at start, a session left open by a crash is ended at its
/// last save and marked <see cref="SessionStore.ClosedAtRestart"/>.
/// </para>
/// </summary>
public sealed class SessionRecorder : ISessionHistory, IOpenSessions, IAsyncDisposable
{
    /// <summary>How stale the saved copy of an open session may get between transitions (virtual time), by default.</summary>
    public static readonly TimeSpan DefaultSaveInterval = TimeSpan.FromSeconds(30);

    private readonly HistoryOptions _options;
    private readonly Valuation _valuation;
    private readonly SessionStore _store;
    private readonly IWallboxStates _states;
    private readonly IChargeControllers _controllers;
    private readonly ISignals _signals;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly TimeSpan _saveInterval;
    private readonly Channel<Input> _inputs = Channel.CreateUnbounded<Input>(new UnboundedChannelOptions { SingleReader = true });
    // Worker-only state.
    private readonly Dictionary<string, Open> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ControlState> _controls = new(StringComparer.Ordinal);
    /// <summary>Per station, the ended transaction last looked at (its later events carry it too).</summary>
    private readonly Dictionary<string, string> _finished = new(StringComparer.Ordinal);
    /// <summary>Per station, an active transaction found to be a replay of a session that ended properly.</summary>
    private readonly Dictionary<string, (string, DateTimeOffset)> _replayed = new(StringComparer.Ordinal);
    private double? _surplusW;
    private double? _price;
    // Read by QueryAsync from any thread: the live copy of each open session, fresher than the saved one.
    private readonly ConcurrentDictionary<long, ChargingSession> _live = new();
    // Read by scripts from any thread: each station's open session, brought up to date at every meter value.
    private readonly ConcurrentDictionary<string, OpenSession> _openByStation = new(StringComparer.Ordinal);
    private Task? _worker;
    private IDisposable? _stationEvents;
    private bool _stopped;

    /// <param name="databasePath">The SQLite file (data_dir/history.file).</param>
    /// <param name="saveInterval">Between transitions, save the open session at most this often (default <see cref="DefaultSaveInterval"/>).</param>
    public SessionRecorder(HistoryOptions options, string databasePath, IWallboxStates states, IChargeControllers controllers,
        ISignals signals, TimeProvider time, ILogger<SessionRecorder> log, TimeSpan? saveInterval = null)
    {
        _saveInterval = saveInterval ?? DefaultSaveInterval;
        OptionProblems.ThrowIfAnyError(options.Problems(signals.Names));
        _options = options;
        _valuation = Valuation.From(options);
        _store = new SessionStore(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _states = states;
        _controllers = controllers;
        _signals = signals;
        _time = time;
        _log = log;
    }

    public string DatabasePath { get; }

    public event Action<ChargingSession>? SessionChanged;

    /// <summary>Opens (creates, migrates) the database, closes sessions a crash left open, and starts listening.</summary>
    public void Start()
    {
        try
        {
            _store.Open();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            throw new InvalidOperationException(
                $"the charging history {DatabasePath} cannot be opened: {e.Message} (check that data_dir is writable and the file is a bmw-rules history, or set history.enabled: false)", e);
        }
        var closed = _store.CloseLeftOpen();
        if (closed > 0)
            _log.LogInformation("Charging history: {Count} session(s) left open by the last run ended at their last saved update ({Reason}); a transaction that is still going on continues its session",
                closed, SessionStore.ClosedAtRestart);
        // A Heartbeat changes nothing a session records; at 10,000 stations leaving them out spares this
        // recorder a thousand wake-ups a second.
        _stationEvents = _states.Subscribe(OnStation, e => e.Kind != WallboxEventKind.Heartbeat);
        foreach (var controller in _controllers.All) controller.ControlChanged += OnControl;
        _signals.Changed += OnSignal;
        _worker = Task.Run(WorkAsync);

        var now = _time.GetUtcNow();
        foreach (var name in new[] { _options.SurplusSignal, _options.PriceSignal })
            if (name.Length > 0) OnSignal(_signals.Get(name));
        foreach (var controller in _controllers.All) OnControl(controller.Control);
        foreach (var state in _states.All) _inputs.Writer.TryWrite(new StationInput(new WallboxEvent(WallboxEventKind.StatusChanged, now, state, null)));
        _log.LogInformation("Charging history in {Path}", DatabasePath);
    }

    /// <summary>Completes when everything queued so far is applied and saved as the rules say (tests, <c>simulate</c>).</summary>
    public Task IdleAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inputs.Writer.TryWrite(new Marker(done))) done.TrySetResult();
        return done.Task;
    }

    /// <summary>Stops listening and saves every open session as it stands (it stays open: the next start decides).</summary>
    public async Task StopAsync()
    {
        if (!await StopListeningAsync()) return;
        foreach (var open in _open.Values) Save(open, force: true);
    }

    /// <summary>Stops listening and drops what is not saved, as a killed process would (tests of crash recovery).</summary>
    internal async Task AbandonAsync()
    {
        if (await StopListeningAsync()) _store.Dispose();
    }

    /// <summary>Unsubscribes and lets the worker finish what is queued; false when already stopped (or never started).</summary>
    private async Task<bool> StopListeningAsync()
    {
        if (_stopped || _worker is null) return false;
        _stopped = true;
        _stationEvents?.Dispose();
        foreach (var controller in _controllers.All) controller.ControlChanged -= OnControl;
        _signals.Changed -= OnSignal;
        _inputs.Writer.TryComplete();
        await _worker;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _store.Dispose();
    }

    public async Task<IReadOnlyList<ChargingSession>> QueryAsync(SessionQuery query, CancellationToken ct = default)
    {
        if (!File.Exists(DatabasePath)) return [];
        var stored = await Task.Run(() => SessionStore.Query(DatabasePath, query), ct);
        return stored.Select(s => _live.TryGetValue(s.Id, out var live) ? live : s).ToList();
    }

    public OpenSession? OpenSessionOf(string stationId) => _openByStation.GetValueOrDefault(stationId);

    private void OnStation(WallboxEvent e) => _inputs.Writer.TryWrite(new StationInput(e));

    private void OnControl(ControlState control) => _inputs.Writer.TryWrite(new ControlInput(control, _time.GetUtcNow()));

    private void OnSignal(SignalReading reading)
    {
        if (reading.Name == _options.SurplusSignal || reading.Name == _options.PriceSignal)
            _inputs.Writer.TryWrite(new SignalInput(reading, _time.GetUtcNow()));
    }

    private async Task WorkAsync()
    {
        await foreach (var input in _inputs.Reader.ReadAllAsync())
        {
            try
            {
                switch (input)
                {
                    case StationInput s: Apply(s.Event); break;
                    case ControlInput c: Apply(c.Control, c.At); break;
                    case SignalInput g: Apply(g.Reading, g.At); break;
                    case Marker m: m.Done.TrySetResult(); break;
                }
            }
            catch (Exception ex)
            {
                // A full disk or a locked file must not take the charging down with it.
                _log.LogError(ex, "Charging history: recording failed; the session continues in memory and is saved at the next change");
            }
        }
    }

    private void Apply(WallboxEvent e)
    {
        var state = e.State;
        var at = e.At;
        _open.TryGetValue(state.StationId, out var open);
        var tx = state.Transaction;

        if (open is not null && tx is not null && tx.Id != open.Account.TransactionId)
        {
            if (IsRenamed(tx))
            {
                _log.LogInformation("Charging history: {Station} transaction {Old} goes on as {Transaction}; session {Id} continues",
                    state.Name, open.Account.TransactionId, tx.Id, open.Account.Id);
                open.Account.RenameTransaction(tx.Id);
            }
            else if (tx.IsActive)
            {
                Close(open, at, "replaced");
                open = null;
            }
        }

        if (tx is { IsActive: true })
        {
            open ??= Begin(state, tx, at);
            if (open is null) return;
            Update(open, state, at);
            Save(open);
            return;
        }

        if (tx is { IsActive: false } && open?.Account.TransactionId == tx.Id)
        {
            Update(open, state, at);
            Close(open, Earliest(tx.EndedAt, at), tx.StoppedReason ?? "ended");
            return;
        }

        if (tx is { IsActive: false } && open is null) FinishLeftOpen(state, tx, at);

        if (open is not null && state.Status == ConnectorStatus.Available)
        {
            Update(open, state, at);
            Close(open, at, "unplugged");
        }
    }

    /// <summary>The account of a transaction seen active: its session again if the history has it, else a new one.</summary>
    private Open? Begin(WallboxState state, TransactionInfo tx, DateTimeOffset at)
    {
        if (_replayed.GetValueOrDefault(state.StationId) == (tx.Id, tx.StartedAt)) return null;
        var known = Known(state, tx);
        SessionAccount account;
        if (known is not null && IsSameTransaction(known, tx))
        {
            if (known.EndReason != SessionStore.ClosedAtRestart && known.EndedAt is not null)
            {
                // Ended properly already: this is a replay of it (quirk 12), counted once.
                _replayed[state.StationId] = (tx.Id, tx.StartedAt);
                return null;
            }
            account = SessionAccount.Resume(known, at);
            account.RenameTransaction(tx.Id);
            _log.LogInformation("Charging history: {Station} transaction {Transaction} goes on; session {Id} continues", state.Name, tx.Id, known.Id);
        }
        else
        {
            var started = tx.StartedAt < at ? tx.StartedAt : at;
            account = new SessionAccount(state.StationId, state.Name, tx.Id, started, at);
            account.Meter(at, state.EnergyWh, null, _valuation);
        }
        account.SetSurplus(at, _surplusW);
        account.SetPrice(at, _price);
        if (_controls.TryGetValue(state.StationId, out var control)) account.SetControl(at, control.Paused, control.LimitSource);
        var open = new Open(account);
        _open[state.StationId] = open;
        _finished.Remove(state.StationId);
        Save(open, force: true);
        if (known is null || account.Id != known.Id)
            _log.LogInformation("Charging history: {Station} session {Id} started (transaction {Transaction})", state.Name, account.Id, tx.Id);
        return open;
    }

    /// <summary>An Ended for a session a restart closed early (its transaction ended while we were down): its real end and final meter.</summary>
    private void FinishLeftOpen(WallboxState state, TransactionInfo tx, DateTimeOffset at)
    {
        if (_finished.GetValueOrDefault(state.StationId) == tx.Id) return;
        _finished[state.StationId] = tx.Id;
        var known = Known(state, tx);
        if (known is not { EndReason: SessionStore.ClosedAtRestart }) return;
        var open = new Open(SessionAccount.Resume(known, known.UpdatedAt ?? known.StartedAt));
        open.Account.RenameTransaction(tx.Id);
        Update(open, state, at);
        Close(open, Earliest(tx.EndedAt, at), tx.StoppedReason ?? "ended");
    }

    /// <summary>
    /// The session the history has for this transaction: by its id, or, for an id the box renamed while we
    /// were down (quirk 9), the station's last session when a restart closed it.
    /// </summary>
    private ChargingSession? Known(WallboxState state, TransactionInfo tx)
    {
        if (_store.Latest(state.StationId, tx.Id) is { } known) return known;
        return IsRenamed(tx) && _store.LatestOfStation(state.StationId) is { EndReason: SessionStore.ClosedAtRestart } left ? left : null;
    }

    /// <summary>
    /// Quirk 9: after a reconnect the box may go on with the same session under a new transaction id. Such an id
    /// first shows up in an Updated or Ended (seqNo above 0); a car plugged in anew starts with a Started (seqNo 0).
    /// </summary>
    private static bool IsRenamed(TransactionInfo tx) => tx.LastSeqNo > 0;

    /// <summary>The same id, and not a new transaction that reuses it (the box restarts its ids after a reboot).</summary>
    private static bool IsSameTransaction(ChargingSession known, TransactionInfo tx) =>
        known.EndedAt is null || known.EndReason == SessionStore.ClosedAtRestart || tx.StartedAt <= known.EndedAt;

    private void Update(Open open, WallboxState state, DateTimeOffset at)
    {
        var account = open.Account;
        account.Rename(state.Name);
        account.SetIdToken(state.Transaction?.IdToken);
        account.Meter(at, state.EnergyWh, state.Connected ? state.PowerW : null, _valuation);
        _openByStation[account.StationId] = new OpenSession(account.StartedAt, account.EnergyWh / 1000);
        if (account.SetCharging(at, state.ChargingState == ChargingState.Charging)) open.Transition = true;
    }

    private void Apply(ControlState control, DateTimeOffset at)
    {
        _controls[control.StationId] = control;
        if (!_open.TryGetValue(control.StationId, out var open)) return;
        if (open.Account.SetControl(at, control.Paused, control.LimitSource)) open.Transition = true;
        Save(open);
    }

    private void Apply(SignalReading reading, DateTimeOffset at)
    {
        var value = reading.Available ? reading.Value : null;
        if (reading.Name == _options.SurplusSignal) _surplusW = value;
        if (reading.Name == _options.PriceSignal) _price = value;
        foreach (var open in _open.Values)
        {
            if (reading.Name == _options.SurplusSignal) open.Account.SetSurplus(at, value);
            if (reading.Name == _options.PriceSignal) open.Account.SetPrice(at, value);
        }
    }

    private void Close(Open open, DateTimeOffset at, string reason)
    {
        var account = open.Account;
        account.Advance(at);
        var ended = at > account.StartedAt ? at : account.StartedAt;
        var session = account.Snapshot(_valuation, ended, reason);
        _store.Update(session);
        _open.Remove(account.StationId);
        _live.TryRemove(account.Id, out _);
        _openByStation.TryRemove(account.StationId, out _);
        _finished[account.StationId] = account.TransactionId;
        _log.LogInformation("Charging history: {Station} session {Id} ended ({Reason}): {Energy:0.###} kWh", account.StationName, account.Id, reason, session.EnergyKWh);
        Raise(session);
    }

    /// <summary>Saves at a transition, when forced, or when the saved copy is older than the save interval.</summary>
    private void Save(Open open, bool force = false)
    {
        var account = open.Account;
        if (!force && !open.Transition && account.Mark - open.SavedAt < _saveInterval) return;
        var session = account.Snapshot(_valuation);
        if (account.Id == 0) account.Id = _store.Insert(session);
        else _store.Update(session);
        session = session with { Id = account.Id };
        open.SavedAt = account.Mark;
        open.Transition = false;
        _live[account.Id] = session;
        Raise(session);
    }

    private void Raise(ChargingSession session)
    {
        try { SessionChanged?.Invoke(session); }
        catch (Exception ex) { _log.LogError(ex, "Charging history: a SessionChanged handler failed"); }
    }

    /// <summary>The box's end time when it is not in our future (a replayed Ended says when it really was).</summary>
    private static DateTimeOffset Earliest(DateTimeOffset? boxTime, DateTimeOffset now) => boxTime is { } t && t < now ? t : now;

    private sealed class Open(SessionAccount account)
    {
        public SessionAccount Account { get; } = account;
        public DateTimeOffset SavedAt { get; set; } = DateTimeOffset.MinValue;
        public bool Transition { get; set; }
    }

    private abstract record Input;
    private sealed record StationInput(WallboxEvent Event) : Input;
    private sealed record ControlInput(ControlState Control, DateTimeOffset At) : Input;
    private sealed record SignalInput(SignalReading Reading, DateTimeOffset At) : Input;
    private sealed record Marker(TaskCompletionSource Done) : Input;
}

namespace BmwWallbox.Charging;

/// <summary>
/// Quirk 9: after a (re)connect the transaction id we hold may be stale, and the box rejects a
/// TxProfile for a stale id. So on link-up the box is asked to report its live transaction
/// (<c>TriggerMessage(TransactionEvent)</c>), and a TxProfile waits until that report is in, or
/// until it failed to come in time; then the limit is sent again. Used from the controller's worker only
/// (<see cref="AwaitingReport"/> is also read from the receive path).
/// </summary>
internal sealed class LiveTransactionRecovery : IAsyncDisposable
{
    /// <summary>How long a TxProfile waits for the box to report its live transaction after a (re)connect.</summary>
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(10);

    private readonly WallboxCommands _commands;
    private readonly Func<string, CancellationToken, Task> _resendLimit;
    private readonly ITimer _reportTimer;
    private bool _txProfileWaiting;

    /// <param name="resendLimit">Sends the limit again (forced), saying why: the TxProfile that waited goes out.</param>
    public LiveTransactionRecovery(WallboxCommands commands, TimerOnWorker timerOnWorker, Func<string, CancellationToken, Task> resendLimit)
    {
        _commands = commands;
        _resendLimit = resendLimit;
        _reportTimer = timerOnWorker(stop => ReportedAsync("no report of the live transaction in time; going on with the one known", stop));
    }

    // Volatile: the controller also reads it on the receive path, to skip meter values that cannot be the report.
    private volatile bool _awaitingReport;

    /// <summary>From a (re)connect until the box reports its transaction: the id we hold may be stale.</summary>
    public bool AwaitingReport
    {
        get => _awaitingReport;
        private set => _awaitingReport = value;
    }

    /// <summary>The link is up: have the box report its live transaction; nothing transaction-bound goes out until it has.</summary>
    public async Task AskForReportAsync(CancellationToken stop)
    {
        AwaitingReport = true;
        _reportTimer.Change(ReportTimeout, Timeout.InfiniteTimeSpan);
        await _commands.TriggerMessageAsync(TriggerKind.TransactionEvent, stop);
    }

    /// <summary>True when a TxProfile has to wait for the report; it is then sent once the report is in.</summary>
    public bool HoldTxProfile()
    {
        if (!AwaitingReport) return false;
        _txProfileWaiting = true;
        return true;
    }

    /// <summary>
    /// The box has told us its live transaction (or could not): a TxProfile that waited for it goes
    /// out now, unless <paramref name="resend"/> is false because the caller sends the limit anyway.
    /// </summary>
    public async Task ReportedAsync(string why, CancellationToken stop, bool resend = true)
    {
        if (!AwaitingReport) return;
        AwaitingReport = false;
        _reportTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (!_txProfileWaiting) return;
        _txProfileWaiting = false;
        if (resend) await _resendLimit(why, stop);
    }

    public ValueTask DisposeAsync() => _reportTimer.DisposeAsync();
}

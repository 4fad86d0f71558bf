using Microsoft.Extensions.Logging;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// Reset: the box ends its transaction and its session, loses what a reboot loses (TxProfiles,
/// quirk state, Finishing), and after <see cref="SimulatedBoxOptions.RebootDuration"/> comes back
/// and boots again. Reset OnIdle waits for the transaction to end.
/// </summary>
internal sealed class RebootCycle
{
    private readonly SimulatedBoxOptions _options;
    private readonly Availability _availability;
    private readonly ChargeRegulator _regulator;
    private readonly TransactionLifecycle _transactions;
    private readonly CsmsLink _link;
    private readonly ProfileStack _profiles;
    private readonly BootSequence _boot;
    private readonly EventLog _events;
    private readonly ILogger _log;
    private readonly BoxTimer _rebootTimer;
    private bool _whenIdle;

    public RebootCycle(SimulatedBoxOptions options, StationGate gate, Availability availability, ChargeRegulator regulator,
        TransactionLifecycle transactions, CsmsLink link, ProfileStack profiles, BootSequence boot, EventLog events, ILogger log)
    {
        _options = options;
        _availability = availability;
        _regulator = regulator;
        _transactions = transactions;
        _link = link;
        _profiles = profiles;
        _boot = boot;
        _events = events;
        _log = log;
        _rebootTimer = gate.NewTimer(Finish);
    }

    /// <summary>Reset OnIdle during a transaction: reboot once it ends.</summary>
    public void ScheduleWhenIdle() => _whenIdle = true;

    /// <summary>A transaction ended; a scheduled Reset OnIdle starts now.</summary>
    public void OnIdle(DateTimeOffset at)
    {
        if (_whenIdle) Begin(at, "Reset OnIdle");
    }

    public void Begin(DateTimeOffset now, string why)
    {
        if (_availability.Rebooting) return;
        _regulator.Update(now);
        _whenIdle = false;
        _transactions.End(now, "ResetCommand", "ImmediateReset", carLeaving: false);
        _availability.BeginReboot();
        _events.Add(now, SimulatorEventKind.Rebooting, detail: why);
        _link.Lose(now, "reboot", closeChannel: true);
        _profiles.OnReboot();
        _transactions.Finishing = false;
        _boot.RequireAfterReset();
        _link.StopReconnecting();
        _rebootTimer.Arm(_options.RebootDuration);
        _regulator.Update(now);
    }

    private void Finish(DateTimeOffset now)
    {
        if (!_availability.Rebooting) return;
        _availability.EndReboot();
        _log.LogInformation("Station {StationId}: reboot finished", _options.StationId);
        _link.ReopenAfterReboot(now);
        _regulator.Update(now);
    }
}

using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging;

/// <summary>
/// Asks the box, once per connection, to keep the transaction when the car side disconnects
/// (<c>TxCtrlr.StopTxOnEVSideDisconnect</c> = false). The BMW box reports the variable ReadOnly and
/// rejects this: a known limitation, logged once, never an error. Used from the controller's worker only.
/// </summary>
internal sealed class StopTxOnEvDisconnectSetting(string stationId, WallboxCommands commands, ILogger log)
{
    private const string Component = "TxCtrlr";
    private const string Variable = "StopTxOnEVSideDisconnect";

    private bool _sentOnThisConnection;
    private bool _limitationLogged;

    /// <summary>A new connection: the setting goes out again.</summary>
    public void Connected() => _sentOnThisConnection = false;

    /// <summary>Send the setting unless it went out on this connection already.</summary>
    public async Task SendOnceAsync(CancellationToken stop)
    {
        if (_sentOnThisConnection) return;
        _sentOnThisConnection = true;
        var answer = await commands.SetVariableAsync(Component, Variable, "false", stop);
        if (answer.IsAccepted)
        {
            log.LogInformation("{StationId}: {Component}.{Variable} set to false", stationId, Component, Variable);
        }
        else if (answer.Outcome == LinkOutcome.Rejected && !_limitationLogged)
        {
            _limitationLogged = true;
            log.LogInformation(
                "{StationId}: known limitation: the box keeps {Component}.{Variable} = true ({Reason}); unplugging the car ends the transaction",
                stationId, Component, Variable, answer.Reason);
        }
        else
        {
            log.LogDebug("{StationId}: SetVariables {Component}.{Variable}: {Answer}", stationId, Component, Variable, answer);
        }
    }
}

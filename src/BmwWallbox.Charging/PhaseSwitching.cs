using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging;

/// <summary>
/// Whether profiles to this box may carry <c>numberPhases</c>, and what the box last accepted. The box is
/// asked once per connection, and only when a claim wants a phase count (the BMW box never is unless a
/// charge mode asks): <c>SmartChargingCtrlr.Phases3to1</c> true means it can switch 3 → 1 phase during a
/// transaction (<c>ACPhaseSwitchingSupported</c> is about choosing the phase of 1-phase charging, not
/// this). A box that says so but rejects a profile with <c>numberPhases</c> is never sent one again
/// (quirk-style: logged once, charging goes on without). Used from the controller's worker only.
/// </summary>
internal sealed class PhaseSwitching(string stationId, WallboxCommands commands, ILogger log)
{
    public const string Component = "SmartChargingCtrlr";
    public const string Variable = "Phases3to1";

    /// <summary>Unknown until asked; Refused sticks until bmw-rules restarts.</summary>
    public PhaseSwitchingSupport Support { get; private set; }

    /// <summary>The numberPhases the box accepted last on this connection; null when none was sent.</summary>
    public int? Applied { get; private set; }

    /// <summary>The box (re)connected or booted: ask again, it may have new firmware; what it held is unknown.</summary>
    public void LinkUp()
    {
        if (Support != PhaseSwitchingSupport.Refused) Support = PhaseSwitchingSupport.Unknown;
        Applied = null;
    }

    /// <summary>True when a profile may carry numberPhases; asks the box first if nobody has yet.</summary>
    public async Task<bool> UsableAsync(CancellationToken stop)
    {
        if (Support == PhaseSwitchingSupport.Unknown)
        {
            var answer = await commands.GetVariableAsync(Component, Variable, stop);
            if (answer.Result.Outcome is LinkOutcome.NotConnected or LinkOutcome.TimedOut) return false; // ask again next time
            Support = answer.Result.IsAccepted && string.Equals(answer.Value, "true", StringComparison.OrdinalIgnoreCase)
                ? PhaseSwitchingSupport.Supported
                : PhaseSwitchingSupport.Unsupported;
            log.LogInformation("{StationId}: {Component}.{Variable} = {Value}: phase switching {Support}", stationId, Component, Variable,
                answer.Value ?? answer.Result.ToString(), Support == PhaseSwitchingSupport.Supported ? "supported" : "not supported (profiles carry no numberPhases)");
        }
        return Support == PhaseSwitchingSupport.Supported;
    }

    public void Accepted(int phases) => Applied = phases;

    /// <summary>The box rejected a profile with numberPhases: never again on this box (logged once).</summary>
    public void Refused(string? reason)
    {
        if (Support == PhaseSwitchingSupport.Refused) return;
        Support = PhaseSwitchingSupport.Refused;
        Applied = null;
        log.LogWarning("{StationId}: the box reports {Component}.{Variable} but rejected a charging profile with numberPhases ({Reason}); "
                       + "phase switching is off for this box until bmw-rules restarts, charging goes on with the installation's phases",
            stationId, Component, Variable, reason);
    }
}

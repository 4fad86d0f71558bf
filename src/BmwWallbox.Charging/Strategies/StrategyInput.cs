namespace BmwWallbox.Charging.Strategies;

/// <summary>What a strategy decides from, at one moment.</summary>
/// <param name="SurplusW">The power the car may take (W, including what it draws now); null when the signal is unavailable or stale.</param>
/// <param name="Plugged">A car is at the station (connector occupied or a transaction runs).</param>
/// <param name="CanSwitchPhases">The box switches 1 ↔ 3 phases during a transaction and config allows it (README, "Phase switching").</param>
internal sealed record StrategyInput(DateTimeOffset Now, double? SurplusW, bool Plugged, bool CanSwitchPhases = false);

/// <summary>What a strategy wants: a current (0 = pause), why, when it wants to look again even if nothing changes, and on how many phases (null: the installation's, not switched).</summary>
internal sealed record StrategyDecision(double Amps, string Reason, DateTimeOffset? RecheckAt = null, int? Phases = null);

/// <summary>One charge mode's way of choosing the current. Stateful strategies keep their timers on <see cref="StrategyInput.Now"/>.</summary>
internal interface IModeStrategy
{
    StrategyDecision Decide(StrategyInput input);

    /// <summary>A car was plugged in: start afresh (timers, enabled state).</summary>
    void Reset();
}

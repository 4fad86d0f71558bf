namespace BmwWallbox.Charging.Strategies;

/// <summary>What a strategy decides from, at one moment.</summary>
/// <param name="SurplusW">The power the car may take (W, including what it draws now); null when the signal is unavailable or stale.</param>
/// <param name="Plugged">A car is at the station (connector occupied or a transaction runs).</param>
internal sealed record StrategyInput(DateTimeOffset Now, double? SurplusW, bool Plugged);

/// <summary>What a strategy wants: a current (0 = pause), why, and when it wants to look again even if nothing changes.</summary>
internal sealed record StrategyDecision(double Amps, string Reason, DateTimeOffset? RecheckAt = null);

/// <summary>One charge mode's way of choosing the current. Stateful strategies keep their timers on <see cref="StrategyInput.Now"/>.</summary>
internal interface IModeStrategy
{
    StrategyDecision Decide(StrategyInput input);

    /// <summary>A car was plugged in: start afresh (timers, enabled state).</summary>
    void Reset();
}

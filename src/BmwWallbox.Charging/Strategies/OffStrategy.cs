namespace BmwWallbox.Charging.Strategies;

/// <summary>Mode off: the station stays paused.</summary>
internal sealed class OffStrategy : IModeStrategy
{
    public StrategyDecision Decide(StrategyInput input) => new(0, "mode off");

    public void Reset() { }
}

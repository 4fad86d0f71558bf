namespace BmwWallbox.Charging.Strategies;

/// <summary>Mode now: as fast as the envelope allows (rule caps and a person still apply on top).</summary>
internal sealed class NowStrategy(double maxCurrent) : IModeStrategy
{
    public StrategyDecision Decide(StrategyInput input) => new(maxCurrent, "charge now");

    public void Reset() { }
}

namespace BmwWallbox.SimulatedBox;

// What SetVariables may have changed.
public sealed partial class SimulatedWallbox
{
    private void RearmIntervals()
    {
        _link.RearmHeartbeat();
        _transactions.RearmSampling();
        _aligned.Rearm();
    }
}

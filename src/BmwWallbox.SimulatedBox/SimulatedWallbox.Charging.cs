using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.SimulatedBox;

// Profiles → applied limit → car current → chargingState, energy integration and transactions.
public sealed partial class SimulatedWallbox
{
    private readonly BoxTimer _alignedTimer;

    private void OnAlignedTimer(DateTimeOffset now)
    {
        _controller.Update(now);
        if (_link.IsBootAccepted)
            _link.Send(new Outgoing("MeterValues", _sampler.MeterValuesPayload(now, "Sample.Clock", _device.AlignedMeasurands, _transactions.Current)));
    }

    private void RearmIntervals()
    {
        _link.RearmHeartbeat();
        _transactions.RearmSampling();
        _alignedTimer.ArmPeriodic(_device.AlignedIntervalSeconds);
    }
}

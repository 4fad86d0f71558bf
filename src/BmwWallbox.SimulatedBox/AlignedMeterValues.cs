namespace BmwWallbox.SimulatedBox;

/// <summary>
/// AlignedDataCtrlr: MeterValues (Sample.Clock) every Interval seconds, with or without a
/// transaction; an Interval of 0, the default, switches them off.
/// </summary>
internal sealed class AlignedMeterValues
{
    private readonly ChargeController _controller;
    private readonly CsmsLink _link;
    private readonly MeterSampler _sampler;
    private readonly DeviceModel _device;
    private readonly TransactionLifecycle _transactions;
    private readonly BoxTimer _timer;

    public AlignedMeterValues(StationGate gate, ChargeController controller, CsmsLink link, MeterSampler sampler,
        DeviceModel device, TransactionLifecycle transactions)
    {
        _controller = controller;
        _link = link;
        _sampler = sampler;
        _device = device;
        _transactions = transactions;
        _timer = gate.NewTimer(OnTimer);
    }

    /// <summary>AlignedDataCtrlr.Interval may have changed (SetVariables).</summary>
    public void Rearm() => _timer.ArmPeriodic(_device.AlignedIntervalSeconds);

    private void OnTimer(DateTimeOffset now)
    {
        _controller.Update(now);
        if (_link.IsBootAccepted)
            _link.Send(new Outgoing("MeterValues", _sampler.MeterValuesPayload(now, "Sample.Clock", _device.AlignedMeasurands, _transactions.Current)));
    }
}

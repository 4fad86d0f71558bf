namespace BmwWallbox.SimulatedBox;

/// <summary>
/// AlignedDataCtrlr: MeterValues (Sample.Clock) every Interval seconds, with or without a
/// transaction; an Interval of 0, the default, switches them off.
/// </summary>
internal sealed class AlignedMeterValues
{
    private readonly ChargeRegulator _regulator;
    private readonly CsmsLink _link;
    private readonly MeterSampler _sampler;
    private readonly DeviceModel _device;
    private readonly TransactionLifecycle _transactions;
    private readonly BoxTimer _timer;

    public AlignedMeterValues(StationGate gate, ChargeRegulator regulator, CsmsLink link, MeterSampler sampler,
        DeviceModel device, TransactionLifecycle transactions)
    {
        _regulator = regulator;
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
        _regulator.Update(now);
        if (_link.IsBootAccepted)
            _link.Send(new Outgoing("MeterValues", _sampler.MeterValuesPayload(now, "Sample.Clock", _device.AlignedMeasurands, _transactions.Current)));
    }
}

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// What happens at the box itself rather than over OCPP: a car plugged in or out (TxStartPoint
/// EVConnected, StopTxOnEVSideDisconnect), the car pausing on its own, a fault.
/// </summary>
internal sealed class Connector(SimulatedBoxOptions options, EnergyMeter meter, ChargeRegulator regulator,
    TransactionLifecycle transactions, Availability availability, ProfileStack profiles, CsmsLink link)
{
    public void PlugIn(DateTimeOffset now, SimulatedCar car)
    {
        if (meter.Car is not null) throw new InvalidOperationException("A car is already plugged in; call Unplug() first.");
        regulator.Update(now);
        meter.PlugIn(car);
        regulator.UpdateStatus(now);
        transactions.Start(now, "CablePluggedIn");
        if (options.Quirks.ExtraMessages)
            foreach (var extra in UnexpectedMessages.AtPlugIn(car, meter.WantedWh(car), options)) link.Send(extra);
        regulator.Update(now);
    }

    public void Unplug(DateTimeOffset now)
    {
        if (meter.Car is null) throw new InvalidOperationException("No car is plugged in.");
        regulator.Update(now);
        transactions.End(now, "EVCommunicationLost", "EVDisconnected", carLeaving: true);
        meter.Unplug();
        transactions.Finishing = false;
        regulator.Update(now);
    }

    /// <summary>The car stops (or resumes) drawing on its own: SuspendedEV.</summary>
    public void SetCarSuspended(DateTimeOffset now, bool suspended)
    {
        if (meter.Car is null) throw new InvalidOperationException("No car is plugged in.");
        regulator.Update(now);
        meter.CarSuspended = suspended;
        regulator.Update(now);
    }

    /// <summary>Connector Faulted, SuspendedEVSE; quirk 7 locks TxProfiles mid-session.</summary>
    public void InjectFault(DateTimeOffset now)
    {
        regulator.Update(now);
        availability.Faulted = true;
        if (transactions.Current is not null) profiles.LockTxProfiles();
        regulator.Update(now);
    }

    public void ClearFault(DateTimeOffset now)
    {
        regulator.Update(now);
        availability.Faulted = false;
        regulator.Update(now);
    }
}

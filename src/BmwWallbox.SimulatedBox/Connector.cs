namespace BmwWallbox.SimulatedBox;

/// <summary>
/// What happens at the box itself rather than over OCPP: a car plugged in or out (TxStartPoint
/// EVConnected, StopTxOnEVSideDisconnect), the car pausing on its own, a fault.
/// </summary>
internal sealed class Connector(SimulatedBoxOptions options, EnergyMeter meter, ChargeController controller,
    TransactionLifecycle transactions, Availability availability, ProfileStack profiles, CsmsLink link)
{
    public void PlugIn(DateTimeOffset now, SimulatedCar car)
    {
        if (meter.Car is not null) throw new InvalidOperationException("A car is already plugged in; call Unplug() first.");
        controller.Update(now);
        meter.PlugIn(car);
        controller.UpdateStatus(now);
        transactions.Start(now, "CablePluggedIn");
        if (options.Quirks.ExtraMessages)
            foreach (var extra in UnexpectedMessages.AtPlugIn(car, meter.WantedWh(car), options)) link.Send(extra);
        controller.Update(now);
    }

    public void Unplug(DateTimeOffset now)
    {
        if (meter.Car is null) throw new InvalidOperationException("No car is plugged in.");
        controller.Update(now);
        transactions.End(now, "EVCommunicationLost", "EVDisconnected", carLeaving: true);
        meter.Unplug();
        transactions.Finishing = false;
        controller.Update(now);
    }

    /// <summary>The car stops (or resumes) drawing on its own: SuspendedEV.</summary>
    public void SetCarSuspended(DateTimeOffset now, bool suspended)
    {
        if (meter.Car is null) throw new InvalidOperationException("No car is plugged in.");
        controller.Update(now);
        meter.CarSuspended = suspended;
        controller.Update(now);
    }

    /// <summary>Connector Faulted, SuspendedEVSE; quirk 7 locks TxProfiles mid-session.</summary>
    public void InjectFault(DateTimeOffset now)
    {
        controller.Update(now);
        availability.Faulted = true;
        if (transactions.Current is not null) profiles.LockTxProfiles();
        controller.Update(now);
    }

    public void ClearFault(DateTimeOffset now)
    {
        controller.Update(now);
        availability.Faulted = false;
        controller.Update(now);
    }
}

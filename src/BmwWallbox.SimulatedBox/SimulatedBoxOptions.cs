namespace BmwWallbox.SimulatedBox;

/// <summary>What the simulated box is and how it behaves (transport settings are in <see cref="SimulatedBoxClientOptions"/>).</summary>
public sealed record SimulatedBoxOptions
{
    public string StationId { get; init; } = "DE*BMW*E0000001";
    public string VendorName { get; init; } = "BMW Group";
    public string Model { get; init; } = "EIAW-E22KTSE6B04";
    public string SerialNumber { get; init; } = "EIAW22K0000001";
    public string FirmwareVersion { get; init; } = "01.20.06.71";

    /// <summary>1 (single-phase install, 32 A) or 3 (three-phase, 16 A).</summary>
    public int Phases { get; init; } = 3;
    public double VoltageV { get; init; } = 230;
    /// <summary>Hardware maximum per phase; null = 32 A single-phase, 16 A three-phase.</summary>
    public double? HardwareMaxAmps { get; init; }
    /// <summary>Below this offered current the box does not energise (SuspendedEVSE).</summary>
    public double MinChargingAmps { get; init; } = 6;
    public double InitialEnergyWh { get; init; }
    /// <summary>
    /// Seeds AuthCtrlr.Enabled (the real box reports false: free charging). When true, a car plugged in
    /// starts a transaction at EVConnected (TxStartPoint) that draws nothing until it is authorized,
    /// e.g. by RequestStartTransaction.
    /// </summary>
    public bool AuthorizationEnabled { get; init; }

    public TimeSpan RebootDuration { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Switch off for long virtual-time runs (a year of 10 s heartbeats is millions of calls).</summary>
    public bool SendHeartbeats { get; init; } = true;
    /// <summary>Spec behaviour is BootNotification only after power-up/reboot; some CSMS want one per connection.</summary>
    public bool BootOnReconnect { get; init; }
    /// <summary>First reconnect delay after a drop; doubles per failed attempt up to <see cref="ReconnectDelayMax"/>.</summary>
    public TimeSpan ReconnectDelayMin { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Events kept for tests (ring buffer); 0 keeps none (counters and waiters still work).</summary>
    public int EventLogCapacity { get; init; } = 10_000;

    public BoxQuirks Quirks { get; init; } = BoxQuirks.None;

    /// <summary>1-phase/3-phase switching; the BMW box does none (<see cref="PhaseSwitchingBehaviour.None"/>).</summary>
    public PhaseSwitchingBehaviour PhaseSwitching { get; init; } = PhaseSwitchingBehaviour.None;

    internal double EffectiveHardwareMaxAmps => HardwareMaxAmps ?? (Phases == 1 ? 32 : 16);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(StationId) || StationId.Length > 48 || StationId.Contains(':'))
            throw new ArgumentException($"StationId must be 1..48 characters without ':', was '{StationId}'.");
        if (Phases is not (1 or 3)) throw new ArgumentException($"Phases must be 1 or 3, was {Phases}.");
        if (!(VoltageV > 0)) throw new ArgumentException($"VoltageV must be > 0, was {VoltageV}.");
        if (!(EffectiveHardwareMaxAmps > 0)) throw new ArgumentException($"HardwareMaxAmps must be > 0, was {HardwareMaxAmps}.");
        if (MinChargingAmps < 0) throw new ArgumentException($"MinChargingAmps must be >= 0, was {MinChargingAmps}.");
        if (RebootDuration <= TimeSpan.Zero) throw new ArgumentException($"RebootDuration must be > 0, was {RebootDuration}.");
        if (ReconnectDelayMin <= TimeSpan.Zero || ReconnectDelayMax < ReconnectDelayMin)
            throw new ArgumentException($"Reconnect delays must satisfy 0 < min <= max, were {ReconnectDelayMin}/{ReconnectDelayMax}.");
        if (EventLogCapacity < 0) throw new ArgumentException($"EventLogCapacity must be >= 0, was {EventLogCapacity}.");
        ArgumentNullException.ThrowIfNull(Quirks);
        Quirks.Validate();
    }
}

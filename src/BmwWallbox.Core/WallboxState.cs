namespace BmwWallbox.Core;

/// <summary>Connector status as reported by StatusNotification.</summary>
public enum ConnectorStatus { Available, Occupied, Reserved, Unavailable, Faulted }

/// <summary>OCPP 2.0.1 transactionInfo.chargingState.</summary>
public enum ChargingState { EVConnected, Charging, SuspendedEV, SuspendedEVSE, Idle }

/// <summary>What the box said about itself in BootNotification.</summary>
public sealed record BootInfo(
    string Vendor,
    string Model,
    string? SerialNumber,
    string? FirmwareVersion,
    string Reason,
    DateTimeOffset At);

/// <summary>The live (or last) transaction on the box.</summary>
public sealed record TransactionInfo(
    string Id,
    DateTimeOffset StartedAt,
    ChargingState? ChargingState,
    string? IdToken,
    int LastSeqNo,
    DateTimeOffset? EndedAt = null,
    string? StoppedReason = null)
{
    public bool IsActive => EndedAt is null;
}

/// <summary>Per-phase values (L1..L3); null where the box did not report a phase.</summary>
public sealed record PhaseValues(double? L1, double? L2, double? L3);

/// <summary>
/// Everything the protocol layer knows about one station, as an immutable snapshot.
/// Produced by the OCPP server; read by the controller, MQTT, rules and doctor.
/// </summary>
public sealed record WallboxState
{
    public required string StationId { get; init; }
    /// <summary>Topic-safe slug from config (<c>ocpp.stations[].name</c>).</summary>
    public required string Name { get; init; }
    public bool Connected { get; init; }
    public DateTimeOffset? ConnectedAt { get; init; }
    public DateTimeOffset? DisconnectedAt { get; init; }
    /// <summary>
    /// When the station was last heard. Current in what <see cref="IWallboxStates"/> returns; in an event's
    /// state as of the last change (a Heartbeat, or a message that changes nothing else, makes no new snapshot).
    /// </summary>
    public DateTimeOffset? LastMessageAt { get; init; }
    public DateTimeOffset? LastHeartbeatAt { get; init; }
    public BootInfo? Boot { get; init; }
    public ConnectorStatus? Status { get; init; }
    /// <summary>The current transaction while one runs; the last one (with EndedAt) after it ended.</summary>
    public TransactionInfo? Transaction { get; init; }
    public double? PowerW { get; init; }
    public double? EnergyWh { get; init; }
    /// <summary>Total current; derived from the phases when the box reports them (quirk 8).</summary>
    public double? CurrentA { get; init; }
    public PhaseValues? PhaseCurrentA { get; init; }
    public double? VoltageV { get; init; }
    public DateTimeOffset? MeterAt { get; init; }
    /// <summary>Device-model variables from NotifyReport / GetVariables, keyed "Component.Variable".</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    public bool HasActiveTransaction => Transaction is { IsActive: true };
    public ChargingState? ChargingState => HasActiveTransaction ? Transaction!.ChargingState : null;
}

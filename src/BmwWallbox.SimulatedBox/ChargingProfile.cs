using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox;

public sealed record ChargingSchedulePeriod(int StartPeriod, double Limit, int? NumberPhases);

/// <summary>A charging profile installed on the simulated box (one schedule, as the BMW supports).</summary>
public sealed record ChargingProfile
{
    public required int EvseId { get; init; }
    public required int Id { get; init; }
    public required int StackLevel { get; init; }
    /// <summary>ChargingStationMaxProfile, TxDefaultProfile or TxProfile.</summary>
    public required string Purpose { get; init; }
    /// <summary>Absolute, Relative or Recurring.</summary>
    public required string Kind { get; init; }
    public string? RecurrencyKind { get; init; }
    public string? TransactionId { get; init; }
    public DateTimeOffset? ValidFrom { get; init; }
    public DateTimeOffset? ValidTo { get; init; }
    /// <summary>A or W.</summary>
    public required string RateUnit { get; init; }
    public DateTimeOffset? StartSchedule { get; init; }
    public int? DurationSeconds { get; init; }
    public required IReadOnlyList<ChargingSchedulePeriod> Periods { get; init; }
    public DateTimeOffset InstalledAt { get; init; }
    /// <summary>The chargingProfile object as received (do not modify).</summary>
    public required JsonObject Raw { get; init; }
}

namespace BmwWallbox.Core;

/// <summary>How long one claim source set the limit during a session.</summary>
public sealed record LimitSourceTime(string Source, TimeSpan Duration);

/// <summary>
/// One charging session, plug-in to unplug, as the history records it. Energy in kWh, power in W.
/// <see cref="EndedAt"/> is null while the session is open.
/// </summary>
public sealed record ChargingSession
{
    public required long Id { get; init; }
    public required string StationId { get; init; }
    public required string StationName { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? TransactionId { get; init; }
    public string? IdToken { get; init; }
    public double? MeterStartWh { get; init; }
    public double? MeterStopWh { get; init; }
    public double EnergyKWh { get; init; }
    public double MaxPowerW { get; init; }
    public double AvgPowerW { get; init; }
    public TimeSpan ChargingTime { get; init; }
    public TimeSpan PausedTime { get; init; }
    /// <summary>Energy covered by the surplus signal while charging; null without a surplus signal.</summary>
    public double? SolarKWh { get; init; }
    public double? GridKWh { get; init; }
    /// <summary>SolarKWh / EnergyKWh, 0..1; null without a surplus signal or energy.</summary>
    public double? SolarShare { get; init; }
    /// <summary>From the price signal (or the fixed tariff); null without either.</summary>
    public double? Cost { get; init; }
    public IReadOnlyList<LimitSourceTime> LimitSources { get; init; } = [];
    /// <summary>
    /// Why the session ended: the box's stoppedReason (e.g. EVDisconnected), <c>unplugged</c> (status Available),
    /// <c>closed_at_restart</c> (left open by a crash, ended at its last saved update); null while open.
    /// </summary>
    public string? EndReason { get; init; }
    /// <summary>The currency label of <see cref="Cost"/> (history.currency).</summary>
    public string? Currency { get; init; }
    /// <summary>When the record was last brought up to date (the end of a session closed at restart).</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <summary>Which sessions to read: a station (id or name) and a start-time range, all optional.</summary>
public sealed record SessionQuery(string? Station = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>The charging history as its readers (CLI, MQTT, dashboard) see it.</summary>
public interface ISessionHistory
{
    /// <summary>Sessions matching <paramref name="query"/>, oldest first, open ones included.</summary>
    Task<IReadOnlyList<ChargingSession>> QueryAsync(SessionQuery query, CancellationToken ct = default);

    /// <summary>Raised when a session opens, changes materially or closes. Handlers must not block.</summary>
    event Action<ChargingSession>? SessionChanged;
}

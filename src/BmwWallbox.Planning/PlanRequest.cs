namespace BmwWallbox.Planning;

/// <summary>
/// What the planner needs to plan one station's charge: the energy still to charge by the deadline, the
/// power the box can draw (0, or between <see cref="MinPowerW"/> and <see cref="MaxPowerW"/>), and the forecasts.
/// </summary>
public sealed record PlanRequest
{
    public required DateTimeOffset Now { get; init; }
    public required DateTimeOffset Deadline { get; init; }
    /// <summary>Energy still to charge, kWh (the target minus what is already in).</summary>
    public required double EnergyKwh { get; init; }
    public required double MaxPowerW { get; init; }
    /// <summary>The box cannot charge below this (min_current × voltage × phases) except by pausing.</summary>
    public required double MinPowerW { get; init; }
    public IReadOnlyList<ForecastSlot> Prices { get; init; } = [];
    /// <summary>Forecast solar power in W the car may take (surplus); counted at <see cref="SolarPrice"/>.</summary>
    public IReadOnlyList<ForecastSlot> Solar { get; init; } = [];
    /// <summary>What a kWh of solar is worth (the feed-in tariff it would otherwise earn); 0 = free.</summary>
    public double SolarPrice { get; init; }
    public string Currency { get; init; } = "EUR";
    /// <summary>The zone times are shown in (slot starts in reasons and in the published plan).</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;
    /// <summary>How the deadline is shown in reasons, e.g. "07:00".</summary>
    public string ByText { get; init; } = "";
}

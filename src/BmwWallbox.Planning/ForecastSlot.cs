namespace BmwWallbox.Planning;

/// <summary>
/// One slot of a forecast: a price per kWh (price forecast) or an average power in W (solar forecast)
/// from <see cref="Start"/> until <see cref="End"/>.
/// </summary>
public sealed record ForecastSlot(DateTimeOffset Start, DateTimeOffset End, double Value)
{
    public TimeSpan Length => End - Start;
}

/// <summary>What a forecast payload tells: a price per kWh or a solar power in W.</summary>
public enum ForecastKind { Price, Solar }

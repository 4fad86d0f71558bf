using BmwWallbox.Core;

namespace BmwWallbox.Dashboard.Tests;

/// <summary>A charging history held in memory: what the dashboard reads until the real one is wired.</summary>
internal sealed class FakeHistory(params ChargingSession[] sessions) : ISessionHistory
{
    public SessionQuery? LastQuery { get; private set; }

    public Task<IReadOnlyList<ChargingSession>> QueryAsync(SessionQuery query, CancellationToken ct = default)
    {
        LastQuery = query;
        IReadOnlyList<ChargingSession> matching = [.. sessions
            .Where(s => query.Station is null || s.StationId == query.Station || s.StationName == query.Station)
            .Where(s => query.From is null || s.StartedAt >= query.From)
            .Where(s => query.To is null || s.StartedAt < query.To)
            .OrderBy(s => s.StartedAt)];
        return Task.FromResult(matching);
    }

    public event Action<ChargingSession>? SessionChanged;

    public void Raise(ChargingSession session) => SessionChanged?.Invoke(session);

    public static ChargingSession Session(long id, DateTimeOffset start, double kwh, double? solarShare, double? cost) => new()
    {
        Id = id,
        StationId = DaemonHarness.StationId,
        StationName = DaemonHarness.StationName,
        StartedAt = start,
        EndedAt = start.AddHours(3),
        TransactionId = $"tx-{id}",
        EnergyKWh = kwh,
        MaxPowerW = 11_000,
        AvgPowerW = kwh * 1000 / 3,
        ChargingTime = TimeSpan.FromHours(2.5),
        PausedTime = TimeSpan.FromMinutes(30),
        SolarKWh = solarShare is { } share ? kwh * share : null,
        GridKWh = solarShare is { } s2 ? kwh * (1 - s2) : null,
        SolarShare = solarShare,
        Cost = cost,
        LimitSources = [new LimitSourceTime("default", TimeSpan.FromHours(2.5)), new LimitSourceTime("solar-pause", TimeSpan.FromMinutes(30))],
    };
}

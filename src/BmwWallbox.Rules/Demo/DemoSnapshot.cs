namespace BmwWallbox.Rules.Demo;

/// <summary>
/// One line of the live display: what the rules see (solar), what the controller decided (limit and
/// who set it) and what the simulated box does (its applied limit, the car's power and state).
/// </summary>
internal sealed record DemoSnapshot(
    DateTimeOffset At,
    double? SolarW,
    double Limit,
    string LimitSource,
    double BoxLimit,
    double PowerW,
    double? CarSocPercent,
    string ChargingState)
{
    /// <summary>The box enforces a pause (0 A applied) that a claim asked for.</summary>
    public bool Paused => Limit == 0 && BoxLimit == 0;

    public bool Charging => ChargingState == "Charging" && PowerW > 0;

    /// <summary>What is worth a new line when it changes (time, solar and SoC move all the time).</summary>
    public object Key => (Limit, LimitSource, BoxLimit, Math.Round(PowerW / 100), ChargingState);
}

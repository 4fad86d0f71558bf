namespace BmwWallbox.Core;

/// <summary>
/// What the planner aims at for one station: <see cref="EnergyKwh"/> charged in the current session, or
/// the car at <see cref="SocPercent"/> (needs the car's SoC as a signal), by the next <see cref="By"/>
/// (local time of day in the configured time zone).
/// </summary>
public sealed record PlanTarget(double? EnergyKwh, double? SocPercent, TimeOnly By)
{
    /// <summary>"30 kWh by 07:00" or "80 % by 07:00".</summary>
    public override string ToString()
        => (SocPercent is { } soc ? $"{soc:0.#} %" : $"{EnergyKwh ?? 0:0.##} kWh") + $" by {By:HH\\:mm}";
}

/// <summary>Setting a station's plan target (MQTT <c>set/plan</c>, Home Assistant, rules); implemented by the planner.</summary>
public interface IPlanTargets
{
    /// <summary>Sets the target of a station (id or name); null clears it. <paramref name="source"/> is logged and shown.</summary>
    ActionResult SetTarget(string station, PlanTarget? target, string source);

    /// <summary>The station's (id or name) current target; null when it has none.</summary>
    PlanTarget? TargetOf(string station);
}

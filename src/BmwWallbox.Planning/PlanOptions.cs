using BmwWallbox.Core;

namespace BmwWallbox.Planning;

/// <summary>
/// The <c>plan:</c> section: where the forecasts come from, what solar is worth, and standing targets per
/// station (by station name). Targets set over MQTT, Home Assistant or a rule replace a station's standing one,
/// also after a restart (data_dir/plans.json).
/// </summary>
public sealed record PlanOptions
{
    /// <summary>MQTT topic of the price forecast (JSON, see <see cref="ForecastParser"/>); empty = none: a plan charges now.</summary>
    public string PriceForecastTopic { get; init; } = "";
    /// <summary>MQTT topic of the solar forecast (JSON); empty = none.</summary>
    public string SolarForecastTopic { get; init; } = "";
    /// <summary>What a kWh of forecast solar counts as (your feed-in tariff); 0 = free.</summary>
    public double SolarPrice { get; init; }
    /// <summary>Shown with prices in reasons and in the published plan.</summary>
    public string Currency { get; init; } = "EUR";
    /// <summary>Standing targets by station name.</summary>
    public IReadOnlyDictionary<string, PlanTargetOptions> Stations { get; init; } = new Dictionary<string, PlanTargetOptions>();

    /// <summary>Every setting that makes no sense, at its config.yaml key (station names are checked against ocpp.stations by the app).</summary>
    public IReadOnlyList<OptionProblem> Problems()
    {
        var problems = new List<OptionProblem>();
        foreach (var (key, topic) in new[] { ("plan.price_forecast_topic", PriceForecastTopic), ("plan.solar_forecast_topic", SolarForecastTopic) })
            if (topic.IndexOfAny(['+', '#']) >= 0)
                problems.Add(new(key, $"{key} '{topic}' has a wildcard", "a forecast is read from one exact topic"));
        if (!double.IsFinite(SolarPrice) || SolarPrice < 0)
            problems.Add(new("plan.solar_price", $"plan.solar_price must be 0 or more, got {SolarPrice}", "your feed-in tariff per kWh, or 0"));
        if (string.IsNullOrWhiteSpace(Currency))
            problems.Add(new("plan.currency", "plan.currency is empty", "e.g. EUR"));
        foreach (var (name, target) in Stations) problems.AddRange(target.Problems($"plan.stations.{name}"));
        return problems;
    }
}

/// <summary>
/// A standing target: <c>{ energy_kwh: 30, by: "07:00" }</c> or <c>{ soc: 80, by: "07:00", soc_signal: car_soc, battery_kwh: 60 }</c>;
/// or only the car's SoC signal and battery (<c>{ soc_signal: car_soc, battery_kwh: 60 }</c>), so SoC targets can be
/// set at run time without a standing one.
/// </summary>
public sealed record PlanTargetOptions
{
    public double? EnergyKwh { get; init; }
    public double? Soc { get; init; }
    public string By { get; init; } = "07:00";
    /// <summary>The signal with the car's state of charge in % (needed for <see cref="Soc"/>).</summary>
    public string SocSignal { get; init; } = "";
    /// <summary>Usable battery capacity in kWh (needed for <see cref="Soc"/>).</summary>
    public double BatteryKwh { get; init; }

    public IReadOnlyList<OptionProblem> Problems(string at)
    {
        var problems = new List<OptionProblem>();
        if (!PlanTargetText.TryParseTime(By, out _, out var timeError)) problems.Add(new($"{at}.by", $"{at}.by: {timeError}"));
        else if (ToTarget() is { } target && !PlanTargetText.Check(target, out var error))
            problems.Add(new(at, $"{at}: {error}", "e.g. { energy_kwh: 30, by: \"07:00\" }"));
        if (EnergyKwh is null && Soc is null && SocSignal.Length == 0)
            problems.Add(new(at, $"{at}: A plan needs exactly one of energy_kwh or soc",
                "e.g. { energy_kwh: 30, by: \"07:00\" }; or only { soc_signal, battery_kwh } so soc targets can be set at run time"));
        if (Soc is not null && SocSignal.Length == 0)
            problems.Add(new($"{at}.soc_signal", $"{at} has a soc target but no soc_signal", "name the signal with the car's state of charge in %"));
        if ((Soc is not null || SocSignal.Length > 0) && !(BatteryKwh > 0))
            problems.Add(new($"{at}.battery_kwh", Soc is not null ? $"{at} has a soc target but no battery_kwh" : $"{at} has a soc_signal but no battery_kwh",
                "the car's usable battery capacity, e.g. 60"));
        if (!double.IsFinite(BatteryKwh) || BatteryKwh < 0 || BatteryKwh > PlanTargetText.MaxEnergyKwh)
            problems.Add(new($"{at}.battery_kwh", $"{at}.battery_kwh must be between 0 and {PlanTargetText.MaxEnergyKwh:0} kWh, got {BatteryKwh}"));
        return problems;
    }

    /// <summary>The standing target; null when there is none (neither energy_kwh nor soc) or <see cref="By"/> does not parse.</summary>
    public PlanTarget? ToTarget()
        => (EnergyKwh is not null || Soc is not null) && PlanTargetText.TryParseTime(By, out var by, out _) ? new PlanTarget(EnergyKwh, Soc, by) : null;
}

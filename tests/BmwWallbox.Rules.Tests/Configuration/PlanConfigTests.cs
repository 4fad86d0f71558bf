using BmwWallbox.Core;
using BmwWallbox.Rules.Configuration;

namespace BmwWallbox.Rules.Tests.Configuration;

/// <summary>The plan: section as config.yaml writes it, and what validate says about it.</summary>
public class PlanConfigTests
{
    private const string Station = """
        ocpp:
          stations:
            - { id: "DE*BMW*E1", password: "0123456789abcdef", name: garage }
        signals:
          car_soc: { topic: car/soc }

        """;

    [Fact]
    public void Standing_targets_and_forecast_topics_are_read()
    {
        var result = ConfigLoader.Parse(Station + """
            plan:
              price_forecast_topic: homeassistant/sensor/nordpool/state
              solar_price: 0.08
              stations:
                garage: { soc: 80, by: "06:30", soc_signal: car_soc, battery_kwh: 60 }
            """, "c.yaml");

        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var plan = result.Config!.Plan;
        Assert.Equal(("homeassistant/sensor/nordpool/state", 0.08, "EUR"), (plan.PriceForecastTopic, plan.SolarPrice, plan.Currency));
        Assert.Equal(new PlanTarget(null, 80, new TimeOnly(6, 30)), plan.Stations["garage"].ToTarget());
    }

    [Fact]
    public void A_station_may_name_only_its_soc_signal_and_battery_so_soc_targets_can_be_set_at_run_time()
    {
        var result = ConfigLoader.Parse(Station + "plan:\n  stations: { garage: { soc_signal: car_soc, battery_kwh: 60 } }\n", "c.yaml");
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Null(result.Config!.Plan.Stations["garage"].ToTarget());
    }

    [Theory]
    [InlineData("stations: { garage: { soc_signal: car_soc } }", "has a soc_signal but no battery_kwh")]
    [InlineData("stations: { garage: { energy_kwh: 30, by: \"7h\" } }", "'by' must be a time of day like 07:00")]
    [InlineData("stations: { garage: { by: \"07:00\" } }", "needs exactly one of energy_kwh or soc")]
    [InlineData("stations: { garage: { energy_kwh: 30, soc: 80 } }", "needs exactly one of energy_kwh or soc")]
    [InlineData("stations: { garage: { energy_kwh: -3 } }", "energy_kwh must be more than 0")]
    [InlineData("stations: { garge: { energy_kwh: 30 } }", "plan for unknown station 'garge'")]
    [InlineData("stations: { garage: { soc: 80, battery_kwh: 60 } }", "has a soc target but no soc_signal")]
    [InlineData("stations: { garage: { soc: 80, soc_signal: soc, battery_kwh: 60 } }", "'soc' is not a configured signal")]
    [InlineData("price_forecast_topic: prices/#", "has a wildcard")]
    [InlineData("solar_price: -1", "plan.solar_price must be 0 or more")]
    public void Bad_plan_settings_are_reported(string yaml, string message)
    {
        var result = ConfigLoader.Parse(Station + "plan:\n  " + yaml + "\n", "c.yaml");
        Assert.Contains(result.Problems, p => p.Severity == Severity.Error && p.Message.Contains(message));
    }
}

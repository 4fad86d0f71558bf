using BmwWallbox.Core;
using BmwWallbox.Rules.Configuration;
using BmwWallbox.Rules.Hosting;

namespace BmwWallbox.Rules.Tests.Configuration;

/// <summary>The charging: section and derived signals as validate reports them (at their line and column).</summary>
public sealed class ChargingConfigTests
{
    private const string Station = """
        ocpp:
          stations:
            - { id: "DE*BMW*E1", password: "0123456789abcdef", name: garage }

        """;

    [Fact]
    public void The_shipped_config_charges_from_solar_with_a_surplus_from_the_grid_meter()
    {
        var result = ConfigLoader.Load(RepoPaths.Of("config.yaml"));

        Assert.DoesNotContain(result.Problems, p => p.Message.Contains("surplus"));
        var c = result.Config!;
        Assert.Equal(ChargeMode.Solar, c.Charging.ModeOf("garage"));
        Assert.True(c.Signals[c.Charging.Surplus].IsDerived);
        var surplus = Assert.Single(RuntimeConfig.DerivedSignals(c), d => d.Name == c.Charging.Surplus);
        Assert.Contains(DerivedSignals.ChargerPower, surplus.Expression.Names);
    }

    [Fact]
    public void The_shipped_config_carries_the_phase_switching_energies_and_the_one_phase_shares()
    {
        var c = ConfigLoader.Load(RepoPaths.Of("config.yaml")).Config!;

        Assert.Equal((40.0, 30.0, 0.6, 0.1), (c.Charging.PhaseUpEnergy, c.Charging.PhaseDownEnergy, c.Charging.OnePhaseEnableShare, c.Charging.OnePhaseDisableShare));
    }

    [Theory]
    [InlineData("phase_up_energy: -5", "charging.phase_up_energy must be 0 or more Wh (is -5)")]
    [InlineData("phase_down_energy: -1", "charging.phase_down_energy must be 0 or more Wh (is -1)")]
    [InlineData("one_phase_disable_share: 0.7", "charging.one_phase_disable_share (0.7) is above charging.one_phase_enable_share (0.6)")]
    [InlineData("one_phase_enable_share: 3", "charging.one_phase_enable_share must be within 0–2 (is 3)")]
    public void A_bad_phase_switching_value_is_an_error(string line, string message)
    {
        var result = ConfigLoader.Parse(Station + "charging:\n  " + line + "\n", "c.yaml");

        Assert.Contains(result.Problems, p => p.Severity == Severity.Error && p.Message == message);
    }

    [Fact]
    public void The_shipped_config_rides_out_short_clouds()
    {
        var c = ConfigLoader.Load(RepoPaths.Of("config.yaml")).Config!;

        Assert.Equal((TimeSpan.FromMinutes(10), 3000.0), (c.Charging.RideThrough, c.Charging.RideThroughGrid));
    }

    [Theory]
    [InlineData("ride_through: -1m", "'charging.ride_through' is '-1m', not a duration")]
    [InlineData("ride_through_grid: -5", "charging.ride_through_grid must be 0 or more W (is -5)")]
    public void A_bad_ride_through_value_is_an_error(string line, string message)
    {
        var result = ConfigLoader.Parse(Station + "charging:\n  " + line + "\n", "c.yaml");

        Assert.Contains(result.Problems, p => p.Severity == Severity.Error && p.Message == message);
    }

    [Fact]
    public void A_name_an_expression_reads_that_is_not_a_signal_is_reported_at_its_character()
    {
        var yaml = Station + """
            signals:
              grid_power: { topic: home/grid }
              surplus:
                expr: "-grid_pwr + charger_power"
            """;

        var result = ConfigLoader.Parse(yaml, "c.yaml");

        var problem = Assert.Single(result.Problems, p => p.Severity == Severity.Error);
        Assert.Equal("signals.surplus.expr reads 'grid_pwr', which is not a signal", problem.Message);
        Assert.Equal("did you mean 'grid_power'?", problem.Hint);
        Assert.Equal((7, 13), (problem.Line, problem.Column)); // the g of grid_pwr, after the quote and the minus
    }

    [Theory]
    [InlineData("surplus: { expr: \"solar_power -\" }", "signals.surplus.expr: the expression ends too early at character 14 of 'solar_power -'")]
    [InlineData("surplus: { expr: \"solar_power\", topic: a/b }", "signals.surplus has an expr and also topic, json, scale or stale_after")]
    public void A_broken_derived_signal_is_an_error(string signal, string message)
    {
        var yaml = Station + "signals:\n  solar_power: { topic: home/solar }\n  " + signal + "\n";

        var result = ConfigLoader.Parse(yaml, "c.yaml");

        Assert.Equal(message, Assert.Single(result.Problems, p => p.Severity == Severity.Error).Message);
    }

    [Theory]
    [InlineData("charging:\n  mode: sunny\n", "charging.mode 'sunny' is not a mode")]
    [InlineData("charging:\n  interval: 0s\n", "charging.interval must be positive (is 00:00:00)")]
    [InlineData("charging:\n  mode: now\n  stations:\n    garge: { mode: solar }\n", "charging.stations.garge: no station is named 'garge'")]
    [InlineData("charging:\n  mode: now\n  stations:\n    garage: { phases: 4 }\n", "charging.stations.garage.phases 4 is not 1, 2 or 3")]
    [InlineData("wallbox:\n  phases: 0\ncharging:\n  mode: now\n", "wallbox.phases 0 is not 1, 2 or 3")]
    public void Bad_charging_settings_are_errors(string section, string message)
    {
        var result = ConfigLoader.Parse(Station + section, "c.yaml");

        Assert.Equal(message, Assert.Single(result.Problems, p => p.Severity == Severity.Error).Message);
    }

    [Fact]
    public void Solar_without_a_surplus_signal_is_a_warning_not_silence()
    {
        var result = ConfigLoader.Parse(Station + "charging:\n  mode: minsolar\n", "c.yaml");

        Assert.True(result.Ok);
        var warning = Assert.Single(result.Problems, p => p.Severity == Severity.Warning && p.Message.Contains("surplus"));
        Assert.Contains("station 'garage' charges in mode minsolar, but no signal 'surplus' is configured", warning.Message);
        Assert.Equal(5, warning.Line);

        var now = ConfigLoader.Parse(Station + "charging:\n  mode: now\n", "c.yaml");
        Assert.DoesNotContain(now.Problems, p => p.Message.Contains("surplus"));
    }

    [Fact]
    public void Stations_that_share_the_mode_without_a_surplus_signal_get_one_warning_that_counts_them()
    {
        var stations = string.Join("\n", Enumerable.Range(1, 500).Select(i => $"    - {{ id: \"ST{i}\", password: \"0123456789abcdef\", name: s{i} }}"));
        var yaml = $"ocpp:\n  stations:\n{stations}\ncharging:\n  mode: solar\n  stations:\n    s7: {{ mode: minsolar }}\n";

        var warnings = ConfigLoader.Parse(yaml, "c.yaml").Problems.Where(p => p.Severity == Severity.Warning && p.Message.Contains("surplus")).ToList();

        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Message.Contains("499 stations ('s1', 's2', 's3' and 496 more) charge in mode solar, but no signal 'surplus'"));
        Assert.Contains(warnings, w => w.Message.Contains("station 's7' charges in mode minsolar, but no signal 'surplus'"));
    }
}

namespace BmwWallbox.Simulation.Tests;

/// <summary>The perfect-foresight optimum simulate measures a run against, on hand-made hours.</summary>
public sealed class OptimumTests
{
    /// <summary>A 3-phase car: 6 A = 4140 W minimum, 16 A = 11040 W maximum, 20 kWh per session.</summary>
    private static readonly OptimumLimits Car = new(4140, 11040, 20_000);

    private static SimulationStep Hour(int index, double solarW, double carW = 0, double? price = null, bool pluggedIn = true) =>
        new(Steps.Start.AddHours(index), TimeSpan.FromHours(1), 16, "default", new PowerBalance(solarW, 0, carW), price, pluggedIn);

    private static OptimumSummary Optimum(OptimumLimits limits, params SimulationStep[] steps)
    {
        var optimum = new OptimumBuilder(limits);
        var summary = new SimulationSummaryBuilder();
        foreach (var step in steps)
        {
            optimum.Add(step);
            summary.Add(step);
        }
        return optimum.Build(summary.Build())!;
    }

    [Fact]
    public void The_most_solar_takes_the_surplus_up_to_the_car_maximum_and_stops_at_what_the_car_can_take()
    {
        // 5 + 11.04 (capped from 15) = 16.04 kWh of surplus above the minimum, then the 3 kWh hour below it
        // (drawn at 4.14 kW, 1.14 from the grid) would pass the 20 kWh the car takes: 3.96 of its 4.14 kWh fit.
        var o = Optimum(Car, Hour(0, 5000, carW: 5000), Hour(1, 15000, carW: 11040), Hour(2, 3000), Hour(3, 0, pluggedIn: false));

        Assert.Equal(16.04 + 3.96 * 3000 / 4140, o.SolarKwh, 3);
        // The run took 16.04 kWh of solar and no grid energy: at no grid energy, that is all there is.
        Assert.Equal(0, o.CarGridKwh);
        Assert.Equal(16.04, o.SolarAtSameGridKwh, 3);
        Assert.Equal(100, o.SolarAtSameGridPercent);
        Assert.True(o.SolarPercent < 100);
    }

    [Fact]
    public void Below_the_minimum_power_solar_costs_grid_energy_and_the_best_hours_come_first()
    {
        // Both hours are below the 4.14 kW minimum: charging in one draws 4.14 kWh, the rest from the grid.
        // With 1.14 kWh of grid energy only the 3 kW hour pays off; with more, part of the 1 kW hour too.
        var run = new[] { Hour(0, 1000, carW: 4140), Hour(1, 3000) };
        var o = Optimum(Car, run);

        Assert.Equal(3.14, o.CarGridKwh, 3);
        Assert.Equal(3 + (3.14 - 1.14) / 3.14 * 1, o.SolarAtSameGridKwh, 3);
        Assert.Equal(4, o.SolarKwh, 3);
        Assert.Equal(Math.Round(1 / o.SolarAtSameGridKwh * 100, 1), o.SolarAtSameGridPercent);
    }

    [Fact]
    public void The_cheapest_cost_uses_free_surplus_then_the_cheapest_hours_of_the_same_session()
    {
        // 15 kWh charged in one session at the dearest hour; the cheapest plan takes the 2 kW surplus for free,
        // fills the 0.10 hour (11.04 kWh) and takes the last 1.96 kWh at 0.20.
        var o = Optimum(Car, Hour(0, 0, carW: 11040, price: 0.30), Hour(1, 0, carW: 3960, price: 0.30), Hour(2, 0, price: 0.10), Hour(3, 2000, price: 0.20));

        Assert.Equal(11.04 * 0.10 + 1.96 * 0.20, o.CheapestCarCost!.Value, 4);
        Assert.Equal(Math.Round(15 * 0.30 / (11.04 * 0.10 + 1.96 * 0.20) * 100, 1), o.CarCostPercentOfCheapest);
    }

    [Fact]
    public void Without_a_price_for_every_plugged_in_hour_there_is_no_cheapest_cost_and_never_plugged_in_no_optimum()
    {
        Assert.Null(Optimum(Car, Hour(0, 0, carW: 11040, price: 0.3), Hour(1, 0)).CheapestCarCost);
        var never = new OptimumBuilder(Car);
        never.Add(Hour(0, 5000, pluggedIn: false));
        Assert.Null(never.Build(new SimulationSummaryBuilder().Build()));
    }

    [Fact]
    public void The_box_sets_tenths_of_an_ampere_so_without_grid_energy_a_surplus_between_two_steps_is_not_all_reachable()
    {
        // 5000 W on three phases: 7.2 A (4968 W) is the most the box sets without grid energy; 7.3 A (5037 W) takes the
        // other 32 W of surplus for 37 W from the grid.
        var stepped = Car with { Ranges = [new PowerRange(690, 6, 16, PowerRange.BoxStepAmps)] };
        var o = Optimum(stepped, Hour(0, 5000, carW: 4968));

        Assert.Equal(4.968, o.SolarAtSameGridKwh, 3);
        Assert.Equal(100, o.SolarAtSameGridPercent);
        Assert.Equal(5, o.SolarKwh, 3);
    }

    [Fact]
    public void A_box_that_switches_phases_cannot_set_anything_between_the_one_phase_maximum_and_the_three_phase_minimum()
    {
        // 3900 W of surplus: 16 A on one phase is 3680 W, 6 A on three is 4140 W. Without grid energy 3.68 kWh is all
        // any schedule gets in the hour; the other 220 W cost 240 W from the grid.
        var switching = new OptimumLimits(1380, 11040, 20_000, 4140)
        {
            Ranges = [new PowerRange(230, 6, 16, PowerRange.BoxStepAmps), new PowerRange(690, 6, 16, PowerRange.BoxStepAmps)],
            FixedPhasesRanges = [new PowerRange(690, 6, 16, PowerRange.BoxStepAmps)],
        };
        var onOnePhase = Optimum(switching, Hour(0, 3900, carW: 3680));
        Assert.Equal(3.68, onOnePhase.SolarAtSameGridKwh, 3);
        Assert.Equal(100, onOnePhase.SolarAtSameGridPercent);
        Assert.Equal(0, onOnePhase.FixedPhasesSolarAtSameGridKwh!.Value, 3); // three phases only: 6 A would need grid energy

        var onThree = Optimum(switching, Hour(0, 3900, carW: 4140));
        Assert.Equal(0.24, onThree.CarGridKwh, 3);
        Assert.Equal(3.9, onThree.SolarAtSameGridKwh, 3);
        Assert.Equal(3.9, onThree.FixedPhasesSolarAtSameGridKwh!.Value, 3);
    }
}

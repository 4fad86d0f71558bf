using BmwWallbox.Planning;

namespace BmwWallbox.Planning.Tests;

/// <summary>The planner on hand-made forecasts: 11 kW box (16 A × 230 V × 3), min 6 A (4.14 kW).</summary>
public class ChargePlannerTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private const double WattsPerAmp = 230 * 3;
    private const double MaxW = 16 * WattsPerAmp; // 11 040 W
    private const double MinW = 6 * WattsPerAmp;  // 4 140 W
    private static readonly DateTimeOffset Evening = new(2026, 4, 15, 18, 0, 0, TimeSpan.FromHours(2));

    /// <summary>Hourly prices from <paramref name="start"/>.</summary>
    private static List<ForecastSlot> Hourly(DateTimeOffset start, params double[] prices)
        => prices.Select((p, i) => new ForecastSlot(start.AddHours(i), start.AddHours(i + 1), p)).ToList();

    private static PlanRequest Request(double kwh, DateTimeOffset deadline, IReadOnlyList<ForecastSlot> prices, DateTimeOffset? now = null) => new()
    {
        Now = now ?? Evening,
        Deadline = deadline,
        EnergyKwh = kwh,
        MaxPowerW = MaxW,
        MinPowerW = MinW,
        Prices = prices,
        Zone = Berlin,
        ByText = "07:00",
    };

    [Fact]
    public void Picks_the_cheapest_hours_and_says_which_and_why()
    {
        // 18:00..07:00: three cheap night hours (01–04) and the rest dear.
        var prices = Hourly(Evening, 0.30, 0.31, 0.32, 0.30, 0.28, 0.25, 0.22, 0.13, 0.11, 0.12, 0.20, 0.24, 0.27);
        var plan = ChargePlanner.Plan(Request(33.12, Evening.AddHours(13), prices));

        Assert.True(plan.Feasible);
        Assert.Equal([Evening.AddHours(7), Evening.AddHours(8), Evening.AddHours(9)], plan.Slots.Select(s => s.Start));
        Assert.All(plan.Slots, s => Assert.Equal(MaxW, s.PowerW, 3));
        Assert.Equal(33.12, plan.PlannedKwh, 6);
        Assert.Equal(11.04 * (0.13 + 0.11 + 0.12), plan.ExpectedCost, 6);
        Assert.Equal("cheapest 3 h before 07:00: 0.11–0.13 EUR/kWh", plan.Summary);

        Assert.Equal(0, plan.StepAt(Evening.AddHours(2), WattsPerAmp).Amps);
        Assert.Contains("waiting until 01:00", plan.StepAt(Evening.AddHours(2), WattsPerAmp).Reason);
        var step = plan.StepAt(Evening.AddHours(8.5), WattsPerAmp);
        Assert.Equal(16, step.Amps);
        Assert.Equal("plan: 0.11 EUR/kWh", step.Reason);
    }

    [Fact]
    public void Partial_last_slot_charges_part_of_the_hour_at_full_power()
    {
        // 13 kWh: the cheapest hour in full (11.04) + 1.96 kWh of the next cheapest, at full power for ~10.7 min.
        var prices = Hourly(Evening, 0.30, 0.10, 0.15, 0.30);
        var plan = ChargePlanner.Plan(Request(13, Evening.AddHours(4), prices));

        Assert.Equal(2, plan.Slots.Count);
        var (full, part) = (plan.Slots[0], plan.Slots[1]);
        Assert.Equal((Evening.AddHours(1), Evening.AddHours(2), MaxW), (full.Start, full.End, full.PowerW));
        Assert.Equal(Evening.AddHours(2), part.Start);
        Assert.Equal(MaxW, part.PowerW, 3);
        Assert.Equal(1.96 / 11.04, (part.End - part.Start).TotalHours, 6);
        Assert.Equal(13, plan.PlannedKwh, 6);
        Assert.Equal(11.04 * 0.10 + 1.96 * 0.15, plan.ExpectedCost, 6);
        Assert.Equal(16, plan.StepAt(part.Start.AddMinutes(5), WattsPerAmp).Amps);
        Assert.Equal(0, plan.StepAt(part.End.AddMinutes(1), WattsPerAmp).Amps);
    }

    [Fact]
    public void Solar_slot_beyond_its_solar_runs_all_hour_at_the_power_needed()
    {
        var noon = new DateTimeOffset(2026, 6, 21, 12, 0, 0, TimeSpan.FromHours(2));
        var solar = new List<ForecastSlot> { new(noon, noon.AddHours(1), 5000) };
        var plan = ChargePlanner.Plan(Request(6, noon.AddHours(1), Hourly(noon, 0.30), noon) with { Solar = solar });
        var slot = Assert.Single(plan.Slots);
        Assert.Equal((noon, noon.AddHours(1)), (slot.Start, slot.End));
        Assert.Equal(6000, slot.PowerW, 3);
        Assert.Equal(8.7, plan.StepAt(noon.AddMinutes(30), WattsPerAmp).Amps); // 6000 / 690 = 8.696 → up to 8.7
        Assert.Equal(1 * 0.30, plan.ExpectedCost, 6);
    }

    [Fact]
    public void Weak_solar_alone_is_followed_for_part_of_the_slot_at_min_power()
    {
        var noon = new DateTimeOffset(2026, 6, 21, 12, 0, 0, TimeSpan.FromHours(2));
        var solar = new List<ForecastSlot> { new(noon, noon.AddHours(1), 3000) };
        var plan = ChargePlanner.Plan(Request(2.07, noon.AddHours(1), Hourly(noon, 0.30), noon) with { Solar = solar });
        var slot = Assert.Single(plan.Slots);
        Assert.Equal(MinW, slot.PowerW, 3);
        Assert.Equal(0.5, (slot.End - slot.Start).TotalHours, 6);
    }

    [Fact]
    public void Infeasible_target_charges_at_max_from_now_and_says_so()
    {
        var prices = Hourly(Evening, 0.30, 0.10);
        var plan = ChargePlanner.Plan(Request(40, Evening.AddHours(2), prices));
        Assert.False(plan.Feasible);
        Assert.Equal("cannot reach 40 kWh by 07:00 (at most 22.1 kWh): charging at max now", plan.Summary);
        Assert.Equal(16, plan.StepAt(Evening, WattsPerAmp).Amps);
        Assert.Equal(16, plan.StepAt(Evening.AddHours(1.5), WattsPerAmp).Amps);
    }

    [Fact]
    public void Without_a_forecast_it_charges_now()
    {
        var plan = ChargePlanner.Plan(Request(11.04, Evening.AddHours(10), []));
        Assert.Equal(Evening, plan.Slots[0].Start);
        Assert.Equal(Evening.AddHours(1), plan.Slots[^1].End);
        Assert.StartsWith("no forecast: charging now", plan.Summary);
    }

    [Fact]
    public void Hours_beyond_the_forecast_count_as_the_dearest_known_price()
    {
        // Prices known until 20:00 only; the deadline is at 23:00. 0.25 is dearest known → unknown hours tie with it, earlier first.
        var prices = Hourly(Evening, 0.25, 0.20);
        var plan = ChargePlanner.Plan(Request(22.08, Evening.AddHours(5), prices));
        Assert.Equal([Evening.AddHours(1), Evening], plan.Slots.OrderBy(s => s.Price).Select(s => s.Start));
    }

    [Fact]
    public void Forecast_solar_is_preferred_and_counted_at_the_solar_price()
    {
        var noon = new DateTimeOffset(2026, 6, 21, 12, 0, 0, TimeSpan.FromHours(2));
        var prices = Hourly(noon, 0.30, 0.30, 0.10, 0.30);
        var solar = new List<ForecastSlot> { new(noon, noon.AddHours(1), 8000) };
        var plan = ChargePlanner.Plan(Request(8, noon.AddHours(4), prices, noon) with { Solar = solar, SolarPrice = 0.08 });
        var slot = Assert.Single(plan.Slots);
        Assert.Equal((noon, noon.AddHours(1), 8000.0), (slot.Start, slot.End, slot.PowerW));
        Assert.Equal(8 * 0.08, plan.ExpectedCost, 6);
        Assert.Equal("forecast solar 8.0 kW", slot.Reason);
        Assert.Equal("forecast solar 1 h", plan.Summary);
    }

    [Fact]
    public void Weak_solar_is_topped_up_to_min_power_and_priced_blended()
    {
        var noon = new DateTimeOffset(2026, 6, 21, 12, 0, 0, TimeSpan.FromHours(2));
        var prices = Hourly(noon, 0.30, 0.30);
        var solar = new List<ForecastSlot> { new(noon, noon.AddHours(1), 2000) };
        var plan = ChargePlanner.Plan(Request(4.14, noon.AddHours(2), prices, noon) with { Solar = solar });
        var slot = Assert.Single(plan.Slots);
        Assert.Equal(MinW, slot.PowerW, 3);
        Assert.Equal(2.14 * 0.30, plan.ExpectedCost, 6); // 2 kWh solar free, 2.14 kWh grid
        Assert.Equal("forecast solar 2.0 kW + grid at 0.30 EUR/kWh", slot.Reason);
    }

    [Fact]
    public void Reached_target_plans_nothing()
    {
        var plan = ChargePlanner.Plan(Request(0.01, Evening.AddHours(5), Hourly(Evening, 0.2)));
        Assert.Empty(plan.Slots);
        Assert.Equal(new Core.PlanStep(0, "plan: target reached"), plan.StepAt(Evening, WattsPerAmp));
    }

    [Fact]
    public void Deadline_on_the_spring_daylight_saving_night_is_one_hour_nearer()
    {
        // 29 March 2026, Europe/Berlin: 02:00 → 03:00. From 22:00 to 07:00 local is 8 h, not 9.
        var now = new DateTimeOffset(2026, 3, 28, 22, 0, 0, TimeSpan.FromHours(1));
        var deadline = LocalTimes.NextOccurrence(new TimeOnly(7, 0), now, Berlin);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 7, 0, 0, TimeSpan.FromHours(2)), deadline);
        Assert.Equal(TimeSpan.FromHours(8), deadline - now);
        // Hourly UTC prices over the night; the cheapest hour is 06:00–07:00 local summer time (04:00 UTC).
        var utc = now.ToUniversalTime();
        var prices = Enumerable.Range(0, 8).Select(i => new ForecastSlot(utc.AddHours(i), utc.AddHours(i + 1), i == 7 ? 0.05 : 0.3)).ToList();
        var plan = ChargePlanner.Plan(Request(11.04, deadline, prices, now));
        var slot = Assert.Single(plan.Slots);
        Assert.Equal("06:00", slot.Start.ToString("HH:mm"));
        Assert.Equal(TimeSpan.FromHours(2), slot.Start.Offset);
    }

    [Fact]
    public void A_skipped_local_time_is_taken_after_the_change_and_a_doubled_one_at_its_first_occurrence()
    {
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 3, 30, 0, TimeSpan.FromHours(2)),
            LocalTimes.At(new DateTime(2026, 3, 29, 2, 30, 0), Berlin));
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 2, 30, 0, TimeSpan.FromHours(2)),
            LocalTimes.At(new DateTime(2026, 10, 25, 2, 30, 0), Berlin));
    }

    [Fact]
    public void Cost_equals_the_brute_force_cheapest_for_the_same_energy_on_random_days()
    {
        var random = new Random(12);
        for (var day = 0; day < 200; day++)
        {
            var prices = Enumerable.Range(0, 48).Select(_ => Math.Round(random.NextDouble() * 0.4 - 0.02, 4)).ToArray();
            var slots = prices.Select((p, i) => new ForecastSlot(Evening.AddMinutes(15 * i), Evening.AddMinutes(15 * (i + 1)), p)).ToList();
            var kwh = random.NextDouble() * 40;
            var plan = ChargePlanner.Plan(Request(kwh, Evening.AddHours(12), slots));
            // Brute force: fill quarter hours at max power, cheapest first (no minimum power to respect at max).
            double left = kwh, cheapest = 0;
            foreach (var p in prices.OrderBy(p => p))
            {
                var take = Math.Min(left, MaxW / 4 / 1000);
                cheapest += take * p;
                left -= take;
            }
            Assert.Equal(kwh, plan.PlannedKwh, 6);
            Assert.True(plan.ExpectedCost <= cheapest + 1e-6, $"day {day}: plan {plan.ExpectedCost} > cheapest {cheapest}");
        }
    }
}

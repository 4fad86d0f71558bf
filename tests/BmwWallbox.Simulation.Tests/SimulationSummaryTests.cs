using System.Text.Json;

namespace BmwWallbox.Simulation.Tests;

public class SimulationSummaryTests
{
    private const double Tolerance = 1e-4; // the summary rounds to Wh, 1/10000 and ~0.1 s
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static SimulationSummary Summarise(IEnumerable<SimulationStep> steps, params string[] firedRules)
    {
        var builder = new SimulationSummaryBuilder();
        foreach (var step in steps) builder.Add(step);
        foreach (var rule in firedRules) builder.RuleFired(rule);
        return builder.Build();
    }

    /// <summary>
    /// Plugged-in limits 16 16 0 0 16 0 10 10 (two pauses, each resumed), one unplugged minute, then a
    /// new session that starts paused and begins to charge (no interruption, so no cycle).
    /// </summary>
    private static IEnumerable<SimulationStep> PausingDay()
    {
        double[] first = [16, 16, 0, 0, 16, 0, 10, 10];
        for (var i = 0; i < first.Length; i++) yield return Steps.Minute(i, first[i]);
        yield return Steps.Minute(8, 0, pluggedIn: false);
        yield return Steps.Minute(9, 0);
        yield return Steps.Minute(10, 16);
    }

    [Fact]
    public void Counts_pauses_and_resumes_within_a_plug_in_session()
    {
        var summary = Summarise(PausingDay());

        Assert.Equal(2, summary.Pauses);
        Assert.Equal(2, summary.PauseResumeCycles);
        Assert.Equal(2, summary.Sessions);
    }

    [Fact]
    public void Time_at_each_current_counts_plugged_in_minutes_per_amp()
    {
        var summary = Summarise(PausingDay());

        // 16 A: minutes 0, 1, 4, 10; paused: 2, 3, 5, 9; 10 A: 6, 7. The unplugged minute 8 is not counted.
        Assert.Equal([0, 10, 16], summary.HoursAtCurrent.Keys);
        Assert.Equal(4 / 60.0, summary.HoursAtCurrent[0], Tolerance);
        Assert.Equal(2 / 60.0, summary.HoursAtCurrent[10], Tolerance);
        Assert.Equal(4 / 60.0, summary.HoursAtCurrent[16], Tolerance);
        Assert.Equal(10 / 60.0, summary.PluggedInHours, Tolerance);
        Assert.Equal(11, summary.Steps);
        Assert.Equal(Steps.Start, summary.From);
        Assert.Equal(Steps.Start.AddMinutes(11), summary.To);
    }

    [Fact]
    public void Adds_up_energy_and_costs_over_steps()
    {
        var t = Steps.Start;
        var summary = Summarise(
        [
            // The hand-computed steps of PowerBalanceTests: 1.75 kWh (1.0 solar, 0.75 import, cost 0.225, car 0.225)
            new(t, TimeSpan.FromMinutes(15), 16, "default", new PowerBalance(5000, 1000, 7000), 0.30, true),
            // and 11.04 kWh (11.44 import, cost 2.86, car 2.76)
            new(t.AddMinutes(15), TimeSpan.FromHours(1), 16, "default", new PowerBalance(0, 400, 11040), 0.25, true),
            // plus 30 min of 1000 W import without a known price: 0.5 kWh, not in the cost.
            new(t.AddMinutes(75), TimeSpan.FromMinutes(30), 0, "rule:night", new PowerBalance(0, 1000, 0), null, true),
        ]);

        Assert.Equal(12.79, summary.ChargedKwh, Tolerance);
        Assert.Equal(1.0, summary.ChargedFromSolarKwh, Tolerance);
        Assert.Equal(1.0 / 12.79, summary.SolarShare!.Value, Tolerance);
        Assert.Equal(12.69, summary.ImportKwh, Tolerance);
        Assert.Equal(0, summary.ExportKwh, Tolerance);
        Assert.Equal(3.085, summary.ImportCost!.Value, Tolerance);
        Assert.Equal(2.985, summary.CarCost!.Value, Tolerance);
        Assert.Equal(1, summary.StepsWithoutPrice);
        Assert.Equal(1.25, summary.ChargingHours, Tolerance);
    }

    [Fact]
    public void Without_any_price_there_is_no_cost_and_without_charging_no_share()
    {
        var summary = Summarise([Steps.Minute(0, 16)]);

        Assert.Null(summary.ImportCost);
        Assert.Null(summary.CarCost);
        Assert.Null(summary.SolarShare);
        Assert.Equal(0, summary.StepsWithoutPrice);
    }

    [Fact]
    public void Tracks_rule_firings_and_the_state_of_charge()
    {
        var summary = Summarise(
            [
                Steps.Minute(0, 16, soc: 20), Steps.Minute(1, 16, soc: 30),
                Steps.Minute(2, 16, pluggedIn: false, soc: 30),
                Steps.Minute(3, 16, soc: 20), Steps.Minute(4, 16, soc: 25),
            ],
            "solar-follow", "cap-evening", "solar-follow", "solar-follow");

        Assert.Equal(new Dictionary<string, int> { ["cap-evening"] = 1, ["solar-follow"] = 3 }, summary.RulesFired);
        Assert.Equal(20, summary.SocStart);
        Assert.Equal(25, summary.SocEnd);
        Assert.Equal(30, summary.MinSocAtDeparture);
    }

    [Fact]
    public void Json_uses_snake_case_units_and_UTC()
    {
        var summary = Summarise(PausingDay(), "solar-follow");

        using var json = JsonDocument.Parse(summary.ToJson());
        var root = json.RootElement;

        Assert.Equal("2026-06-21T06:00:00Z", root.GetProperty("from").GetString());
        Assert.Equal(2, root.GetProperty("pause_resume_cycles").GetInt32());
        Assert.Equal(4 / 60.0, root.GetProperty("hours_at_current").GetProperty("16").GetDouble(), Tolerance);
        Assert.Equal(1, root.GetProperty("rules_fired").GetProperty("solar-follow").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("import_cost").ValueKind);
        Assert.True(root.TryGetProperty("charged_kwh", out _));
    }

    [Fact]
    public void Text_reads_like_a_report()
    {
        var summary = Summarise(PausingDay(), "solar-follow", "solar-follow");

        var text = summary.ToText(Berlin);

        Assert.Contains("2026-06-21 08:00 → 2026-06-21 08:11 (Europe/Berlin)", text);
        Assert.Contains("2 cycles (2 pauses)", text);
        Assert.Contains("paused 4 min, 10 A 2 min, 16 A 4 min", text);
        Assert.Contains("solar-follow ×2", text);
        Assert.Contains("feed-in revenue not counted", text);
    }

    [Fact]
    public void Text_gives_the_cost_bound_in_money_not_as_a_percentage_of_it()
    {
        // The bound counts surplus as free and ignores the minimum current: near 0 on a sunny year, so a % of it would be absurd.
        var summary = Summarise(PausingDay(), "solar-follow") with
        {
            ChargedKwh = 5412,
            CarCost = 86.44,
            Optimum = new OptimumSummary { CheapestCarCost = 1.26, CarCostPercentOfCheapest = 6860.3 },
        };

        var text = summary.ToText(Berlin);

        Assert.Contains("Cost lower bound    car cost 86.44; no schedule pays less than 1.26 for the same 5412.0 kWh (perfect foresight, surplus free, the minimum current ignored)", text);
        Assert.DoesNotContain("6860", text);
    }
}

using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Planning;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.Planning.Tests;

/// <summary>The planner per station on an in-memory bus and virtual time: forecasts in, plans out, re-planning.</summary>
public sealed class ChargePlansTests : IDisposable
{
    private const string Id = "BMW-001";
    private const string Name = "garage";
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly DateTimeOffset Evening = new(2026, 4, 15, 18, 0, 0, TimeSpan.FromHours(2));
    private const string PriceTopic = "home/prices";

    private readonly ManualClock _clock = new(Evening);
    private readonly InMemoryMessageBus _bus = new();
    private readonly SettableWallboxStates _states = new();
    private readonly TestLogs _logs = new();
    private readonly ChargePlans _plans;
    private readonly List<string> _changed = [];

    public ChargePlansTests()
    {
        var options = new PlanOptions
        {
            PriceForecastTopic = PriceTopic,
            Stations = new Dictionary<string, PlanTargetOptions> { [Name] = new() { EnergyKwh = 22.08, By = "07:00" } },
        };
        _states.Set(PlanStates.Plugged(Id, Name, 100_000));
        _plans = new ChargePlans(options, [new PlanStation(Id, Name, 6, 16, 690)], _states, Berlin, _clock, _logs.CreateLogger("plan"));
        _plans.PlanChanged += id => _changed.Add(id);
        _plans.Start(_bus, new SignalStore([], _clock));
    }

    public void Dispose()
    {
        _plans.Dispose();
        _logs.AssertNoUnexpectedErrors();
    }

    /// <summary>Hourly prices from 18:00: dear, except 02:00–04:00 (0.10, 0.12) and 05:00 (0.15).</summary>
    private static string NightPrices()
    {
        var prices = new[] { 0.30, 0.31, 0.32, 0.30, 0.28, 0.25, 0.22, 0.20, 0.10, 0.12, 0.21, 0.15, 0.27 };
        return JsonSerializer.Serialize(prices.Select((p, i) => new { start = Evening.AddHours(i), end = Evening.AddHours(i + 1), price = p }));
    }

    private JsonElement PublishedPlan() => JsonDocument.Parse(_bus.Retained[$"bmw-wallbox/{Name}/plan"]).RootElement;

    [Fact]
    public void Without_a_forecast_the_standing_target_charges_now_and_is_published()
    {
        Assert.Equal(16, _plans.StepAt(Id, Evening)!.Amps);
        var plan = PublishedPlan();
        Assert.Equal(22.08, plan.GetProperty("target").GetProperty("energy_kwh").GetDouble());
        Assert.Equal("07:00", plan.GetProperty("target").GetProperty("by").GetString());
        Assert.StartsWith("no forecast", plan.GetProperty("summary").GetString());
    }

    [Fact]
    public void A_new_forecast_re_plans_to_the_cheapest_hours_and_publishes_them_with_reasons()
    {
        _changed.Clear();
        _bus.PublishAsync(PriceTopic, NightPrices());

        Assert.Contains(Id, _changed);
        var plan = PublishedPlan();
        Assert.Equal("cheapest 2 h before 07:00: 0.10–0.12 EUR/kWh", plan.GetProperty("summary").GetString());
        Assert.Equal(22.08 * 0.11, plan.GetProperty("expected_cost").GetDouble(), 3);
        var slots = plan.GetProperty("slots").EnumerateArray().ToList();
        Assert.Equal(["2026-04-16T02:00:00+02:00", "2026-04-16T03:00:00+02:00"], slots.Select(s => s.GetProperty("start").GetString()));
        Assert.Equal("0.10 EUR/kWh", slots[0].GetProperty("reason").GetString());

        var waiting = _plans.StepAt(Id, Evening)!;
        Assert.Equal(0, waiting.Amps);
        Assert.Contains("waiting until 02:00", waiting.Reason);
    }

    [Fact]
    public void A_malformed_forecast_is_refused_on_the_result_topic_and_the_previous_one_stays()
    {
        _bus.PublishAsync(PriceTopic, NightPrices());
        var before = _plans.PlanOf(Name);
        string? result = null;
        using var _ = _bus.Subscribe($"bmw-wallbox/{Name}/result", (_, payload) => result = payload);

        _bus.PublishAsync(PriceTopic, """[{"start":"2026-04-15T20:00:00+02:00","price":"cheap"}]""");

        var json = JsonDocument.Parse(result!).RootElement;
        Assert.Equal("price_forecast", json.GetProperty("action").GetString());
        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Contains("slot 1: 'price' must be a number", json.GetProperty("reason").GetString());
        Assert.Same(before, _plans.PlanOf(Name));
        Assert.Contains(_logs.Entries, e => e.Message.Contains("previous forecast stays"));
    }

    [Fact]
    public void Falling_behind_re_plans_at_the_slot_boundary()
    {
        _bus.PublishAsync(PriceTopic, NightPrices());
        var first = _plans.PlanOf(Name)!;
        // 02:00: the car charges, but at 03:00 only 5 kWh arrived of the 11.04 planned.
        _clock.SetUtcNow(Evening.AddHours(8));
        Assert.Equal(16, _plans.StepAt(Id, _clock.GetUtcNow())!.Amps);
        _states.Set(PlanStates.Plugged(Id, Name, 105_000));
        _changed.Clear();
        _clock.SetUtcNow(Evening.AddHours(9));

        var replanned = _plans.PlanOf(Name)!;
        Assert.NotSame(first, replanned);
        Assert.Equal(22.08 - 5, replanned.NeededKwh, 6);
        Assert.Contains(Id, _changed);
        // 17.08 kWh from 03:00: 03:00 (0.12) in full, then the rest in 05:00 (0.15).
        Assert.Equal([Evening.AddHours(9), Evening.AddHours(11)], replanned.Slots.Select(s => s.Start));
        Assert.Contains(_logs.Entries, e => e.Message.Contains("behind the plan: 5 of 11.04 kWh"));
    }

    [Fact]
    public void A_meter_not_read_since_the_slot_began_is_not_behind()
    {
        _bus.PublishAsync(PriceTopic, NightPrices());
        var first = _plans.PlanOf(Name)!;
        // 02:00: the car charges at full power; the meter was last read as it started (simulate reads it when the power changes).
        _clock.SetUtcNow(Evening.AddHours(8));
        _states.Set(PlanStates.Plugged(Id, Name, 100_000, powerW: 11_040) with { MeterAt = Evening.AddHours(8) });

        _clock.SetUtcNow(Evening.AddHours(8.75)); // the checks at 02:15, 02:30 and 02:45

        Assert.Same(first, _plans.PlanOf(Name));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains("behind the plan"));
        Assert.Equal(16, _plans.StepAt(Id, _clock.GetUtcNow())!.Amps);
    }

    [Fact]
    public void On_plan_the_boundary_raises_plan_changed_without_re_planning()
    {
        _bus.PublishAsync(PriceTopic, NightPrices());
        var first = _plans.PlanOf(Name)!;
        _changed.Clear();
        _clock.SetUtcNow(Evening.AddHours(8)); // 02:00: the first slot begins
        Assert.Equal([Id], _changed);
        Assert.Same(first, _plans.PlanOf(Name));
    }

    [Fact]
    public void A_target_set_by_a_person_replaces_the_standing_one_and_clearing_removes_the_plan()
    {
        _bus.PublishAsync(PriceTopic, NightPrices());
        var result = _plans.SetTarget(Name, new PlanTarget(11.04, null, new TimeOnly(6, 0)), "mqtt");
        Assert.True(result.Ok, result.Message);
        Assert.Equal("plan 11.04 kWh by 06:00: cheapest 1 h before 06:00: 0.10 EUR/kWh", result.Message);

        Assert.True(_plans.SetTarget(Id, null, "mqtt").Ok);
        Assert.Null(_plans.StepAt(Id, Evening));
        Assert.Equal("", _bus.Retained[$"bmw-wallbox/{Name}/plan"]);
    }

    [Fact]
    public void A_soc_target_without_a_soc_signal_is_refused()
    {
        var result = _plans.SetTarget(Name, new PlanTarget(null, 80, new TimeOnly(7, 0)), "mqtt");
        Assert.False(result.Ok);
        Assert.Contains("soc_signal", result.Message);
    }

    [Fact]
    public void Energy_counts_from_the_session_start_and_a_new_session_plans_anew()
    {
        _states.Set(PlanStates.Plugged(Id, Name, 120_000, tx: "tx-2"));
        Assert.Equal(22.08, _plans.PlanOf(Name)!.NeededKwh, 6);
        _states.Set(PlanStates.Plugged(Id, Name, 130_000, tx: "tx-2"));
        _plans.SetTarget(Name, new PlanTarget(22.08, null, new TimeOnly(7, 0)), "test");
        Assert.Equal(12.08, _plans.PlanOf(Name)!.NeededKwh, 6);
    }
}

using BmwWallbox.Charging.Tests.TestDoubles;
using BmwWallbox.Core;

namespace BmwWallbox.Charging.Tests.Signals;

/// <summary>Signal expressions and derived signals (a surplus from a grid meter and the chargers' own power).</summary>
public class DerivedSignalTests
{
    [Theory]
    [InlineData("solar_power - house_power", 1800)]
    [InlineData("-grid_power + charger_power", 2500)]
    [InlineData("-(grid_power) * 2", 2000)]
    [InlineData("max(0, solar_power - house_power - 2000)", 0)]
    [InlineData("min(solar_power, 1000) / 2 + 0.5", 500.5)]
    [InlineData("solar_power - -house_power", 2200)]
    public void Evaluates(string text, double expected)
    {
        var values = new Dictionary<string, double?> { ["solar_power"] = 2000, ["house_power"] = 200, ["grid_power"] = -1000, ["charger_power"] = 1500 };
        Assert.Equal(expected, SignalExpression.Parse(text).Evaluate(n => values[n]));
    }

    [Fact]
    public void Names_each_input_once()
        => Assert.Equal(["a", "b"], SignalExpression.Parse("a + b * a - max(b, 1)").Names);

    [Theory]
    [InlineData("", 0, "empty")]
    [InlineData("solar_power -", 13, "ends too early")]
    [InlineData("solar_power $ 2", 12, "unexpected '$'")]
    [InlineData("(a + b", 6, "missing ')'")]
    [InlineData("avg(a, b)", 0, "unknown function 'avg'")]
    [InlineData("a b", 2, "unexpected 'b'")]
    public void Says_what_is_wrong_and_where(string text, int position, string message)
    {
        var e = Assert.Throws<SignalExpressionException>(() => SignalExpression.Parse(text));
        Assert.Equal(position, e.Position);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void No_value_is_made_up_a_missing_input_or_a_division_by_zero_has_none()
    {
        Assert.Null(SignalExpression.Parse("a - b").Evaluate(n => n == "a" ? 1 : null));
        Assert.Null(SignalExpression.Parse("a / b").Evaluate(n => n == "a" ? 1 : 0));
    }

    [Fact]
    public void A_derived_signal_follows_its_inputs_and_the_chargers_power_and_goes_stale_with_them()
    {
        var clock = new ManualClock(new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero));
        using var store = new SignalStore([new SignalDefinition("grid_power", TimeSpan.FromMinutes(1)), new SignalDefinition("price")], clock);
        var states = new FakeWallboxStates();
        using var signals = new DerivedSignals(store, [new DerivedSignalDefinition("surplus", SignalExpression.Parse("-grid_power + charger_power"))], states);
        var seen = new List<SignalReading>();
        signals.Changed += r => { if (r.Name == "surplus") seen.Add(r); };

        Assert.True(signals.IsKnown("surplus"));
        Assert.Contains("surplus", signals.Names);
        Assert.False(signals.Get("surplus").Available);

        store.Set("grid_power", -3000);
        Assert.Equal(3000, signals.Get("surplus").Value);
        var idle = new WallboxState { StationId = "S1", Name = "garage", Connected = true };
        var charging = idle with { PowerW = 4000 };
        states.Raise(new WallboxEvent(WallboxEventKind.MeterValues, clock.GetUtcNow(), charging, idle));
        store.Set("grid_power", 500); // the car now draws 4 kW of which 0.5 kW from the grid
        Assert.Equal(3500, signals.Get("surplus").Value);
        Assert.Equal([3000, 3000 + 4000, 3500], seen.Select(r => r.Value!.Value));

        store.Set("price", 0.3); // not an input: no change of surplus
        Assert.Equal(3, seen.Count);

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1)); // stale once MORE than stale_after passed
        var stale = signals.Get("surplus");
        Assert.True(stale.Stale);
        Assert.False(stale.Available);
        Assert.True(seen[^1].Stale);
    }

    [Fact]
    public void An_input_that_is_not_a_signal_is_refused()
    {
        using var store = new SignalStore([new SignalDefinition("grid_power")], TimeProvider.System);
        var e = Assert.Throws<ArgumentException>(() =>
            new DerivedSignals(store, [new DerivedSignalDefinition("surplus", SignalExpression.Parse("-grid + charger_power"))], new FakeWallboxStates()));
        Assert.Contains("'grid'", e.Message);
    }
}

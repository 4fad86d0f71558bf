using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>validate points at the character of a computed limit that is wrong, as it does for derived signals.</summary>
public sealed class ComputedLimitValidationTests : IDisposable
{
    private static readonly string[] Signals = ["solar_power", "grid_power", "house_power", "surplus"];
    private readonly string _dir = Directory.CreateTempSubdirectory("bmw-rules-limit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Problem Single(string limit)
    {
        File.WriteAllText(Path.Combine(_dir, "rules.yaml"), $"- id: follow\n  while: {{ signal: surplus, above: 0 }}\n  limit: {limit}\n");
        var errors = RuleSetLoader.Validate(_dir, Signals, ["garage"]);
        Assert.True(errors.Count == 1, string.Join("\n", errors));
        return errors[0];
    }

    [Fact]
    public void A_good_expression_validates()
    {
        File.WriteAllText(Path.Combine(_dir, "rules.yaml"),
            "- id: follow\n  while: { signal: surplus, above: 0 }\n  limit: \"max(wallbox.min_current, (surplus - 500) / wallbox.voltage_nominal / wallbox.phases)\"\n");
        Assert.Empty(RuleSetLoader.Validate(_dir, Signals, ["garage"]));
    }

    [Fact]
    public void An_unknown_signal_is_reported_at_its_character_with_a_suggestion()
    {
        var error = Single("\"(surplus - grid_pwr) / 230\"");
        Assert.Equal((3, 22), (error.Line, error.Column)); // limit: "(surplus - g… : g is column 22
        Assert.Contains("unknown signal 'grid_pwr'", error.Message);
        Assert.Contains("grid_power", error.Hint);
    }

    [Fact]
    public void A_syntax_error_is_reported_at_its_character()
    {
        var error = Single("\"(surplus - 500 / 230\"");
        Assert.Equal((3, 31), (error.Line, error.Column)); // where the ")" is missing: the end
        Assert.Contains("missing ')'", error.Message);
    }

    [Fact]
    public void An_unknown_wallbox_value_is_reported_with_the_values_there_are()
    {
        var error = Single("surplus / 230 / wallbox.phase");
        Assert.Equal((3, 26), (error.Line, error.Column));
        Assert.Contains("wallbox.phases", error.Message);
        Assert.Contains("did you mean 'wallbox.phases'", error.Hint);
    }

    [Fact]
    public void A_negative_number_is_still_not_a_current()
    {
        Assert.Contains("is not a current", Single("-3").Message);
    }
}

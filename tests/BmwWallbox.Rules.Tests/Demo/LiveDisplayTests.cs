using BmwWallbox.Rules.Demo;
using BmwWallbox.Rules.Engine.Tracing;

namespace BmwWallbox.Rules.Tests.Demo;

public class LiveDisplayTests
{
    private static readonly DateTimeOffset Six = new(2026, 6, 21, 6, 0, 0, TimeSpan.FromHours(2));
    private static readonly DemoSnapshot Charging = new(Six, 400, 16, "default", 16, 11040, 20, "Charging");

    [Fact]
    public void A_line_is_written_when_something_changes_or_a_quarter_hour_passed_not_for_every_solar_sample()
    {
        var output = new StringWriter();
        var display = new LiveDisplay(output);

        Assert.True(display.Show(Charging));
        Assert.False(display.Show(Charging with { At = Six.AddMinutes(1), SolarW = 420, CarSocPercent = 20.2 }));
        Assert.True(display.Show(Charging with { At = Six.AddMinutes(2), Limit = 0, LimitSource = "solar-pause" }));
        Assert.False(display.Show(Charging with { At = Six.AddMinutes(16), Limit = 0, LimitSource = "solar-pause" }));
        Assert.True(display.Show(Charging with { At = Six.AddMinutes(17), Limit = 0, LimitSource = "solar-pause" }));

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal(" 06:00       400    16 A  default       16 A  11.0 kW   20 %  Charging", lines[0]);
        Assert.Equal(" 06:02       400     0 A  solar-pause   16 A  11.0 kW   20 %  Charging", lines[1]);
    }

    [Fact]
    public void A_rule_line_names_the_rule_why_it_ran_and_each_answer_and_is_highlighted_on_a_terminal()
    {
        var trace = new RuleTrace("solar-pause", 1, Six, Six, new TraceTrigger("level", "while held for 2m", new Dictionary<string, string?>()), [],
            [new TraceAction("claim pause (0 A)", Six, "Accepted", "limit 0 A")], "claimed", null);
        var plain = new StringWriter();
        var colored = new StringWriter();

        new LiveDisplay(plain).RuleActed(trace, Six.AddMinutes(2));
        new LiveDisplay(colored, color: true).RuleActed(trace, Six.AddMinutes(2));

        Assert.Equal(" 06:02  ▶ rule solar-pause (while held for 2m): claim pause (0 A) → Accepted" + Environment.NewLine, plain.ToString());
        Assert.Equal(" 06:02  \u001b[1;33m▶ rule solar-pause (while held for 2m): claim pause (0 A) → Accepted\u001b[0m" + Environment.NewLine, colored.ToString());
    }

    [Fact]
    public void A_new_day_gets_a_separator()
    {
        var output = new StringWriter();
        var display = new LiveDisplay(output);

        display.Show(Charging with { At = Six.AddHours(17.9) });
        display.Event(Six.AddHours(18), "a new day");

        Assert.Contains(" ── Mon 22 Jun ──" + Environment.NewLine + " 00:00  a new day", output.ToString());
    }
}

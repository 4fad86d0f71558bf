using System.Xml.Linq;

namespace BmwWallbox.Simulation.Tests;

public class ChartWriterTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>The sunny example day with a car charging at 16 A from 10:00 to 15:00 and two rules firing.</summary>
    private static ChartWriter SunnyDay()
    {
        var chart = new ChartWriter(Berlin);
        using var reader = SignalCsvReader.Open(RepoPaths.Of("examples/data/sunny-day.csv"), Berlin);
        var house = new HouseModel(reader.Columns);
        foreach (var (sample, duration) in reader.ReadSteps())
        {
            house.Update(sample);
            var hour = TimeZoneInfo.ConvertTime(sample.Time, Berlin).Hour;
            var charging = hour is >= 10 and < 15;
            chart.Add(new SimulationStep(sample.Time, duration, charging ? 16 : 0, "default", house.Balance(charging ? 11040 : 0), null, true));
        }
        chart.RuleFired("solar-follow", new DateTimeOffset(2026, 6, 21, 10, 0, 0, TimeSpan.FromHours(2)));
        chart.RuleFired("solar-follow", new DateTimeOffset(2026, 6, 21, 10, 0, 20, TimeSpan.FromHours(2)));
        chart.RuleFired("<stop & go>", new DateTimeOffset(2026, 6, 21, 15, 0, 0, TimeSpan.FromHours(2)));
        return chart;
    }

    private static async Task<string> Html(ChartWriter chart, SimulationSummary? summary = null)
    {
        var text = new StringWriter();
        await chart.WriteHtmlAsync(text, "Sunny day & a car", summary, CancellationToken.None);
        return text.ToString();
    }

    private static XElement SvgOf(string html)
    {
        var start = html.IndexOf("<svg", StringComparison.Ordinal);
        var end = html.IndexOf("</svg>", StringComparison.Ordinal) + "</svg>".Length;
        Assert.True(start >= 0 && end > start, "no <svg> in the page");
        return XDocument.Parse(html[start..end]).Root!;
    }

    private static string[] Points(XElement svg, string series) =>
        svg.Descendants(Svg + "polyline").Single(p => (string?)p.Attribute("class") == $"series-{series}")
            .Attribute("points")!.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Draws_every_series_at_one_minute_for_a_day()
    {
        var svg = SvgOf(await Html(SunnyDay()));

        foreach (var series in new[] { "solar", "house", "car", "limit" })
            Assert.Equal(1440, Points(svg, series).Length);
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("12:00", texts);
        Assert.Contains("8 kW", texts);
        Assert.Contains("16 A", texts);
        Assert.Contains("local time (Europe/Berlin)", texts);
        Assert.Contains("solar (kW, left)", texts);
        Assert.Contains("limit (A, right)", texts);
    }

    [Fact]
    public async Task Marks_rule_firings_with_the_rule_id()
    {
        var svg = SvgOf(await Html(SunnyDay()));

        var firings = svg.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "rule-firing").ToList();
        Assert.Equal(["solar-follow", "<stop & go>"], firings.Select(f => (string)f.Attribute("data-rule")!));
        Assert.Equal("2026-06-21 10:00 solar-follow fired ×2", firings[0].Element(Svg + "title")!.Value);
        Assert.Equal("2026-06-21 15:00 <stop & go> fired", firings[1].Element(Svg + "title")!.Value);
        Assert.Contains("rule <stop & go>", svg.Descendants(Svg + "text").Select(t => t.Value));
    }

    [Fact]
    public async Task The_page_is_self_contained_and_shows_the_summary()
    {
        var summary = new SimulationSummaryBuilder();
        summary.RuleFired("solar-follow");
        var html = await Html(SunnyDay(), summary.Build());

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>Sunny day &amp; a car</title>", html);
        Assert.Contains("solar-follow ×1", html);
        foreach (var external in new[] { "<script", "<link", "@import", "src=", "href=", "url(" })
            Assert.DoesNotContain(external, html);
        Assert.Equal(1, CountOf(html, "http"));  // the SVG namespace only
    }

    [Fact]
    public async Task A_year_is_averaged_into_a_bounded_number_of_points()
    {
        var chart = new ChartWriter(Berlin, maxPoints: 1500);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(1));
        for (var minute = 0; minute < 365 * 24 * 60; minute++)
        {
            // The car alternates 0 / 7000 W every minute: every bucket averages 3500 W.
            var carW = minute % 2 == 0 ? 0 : 7000;
            chart.Add(new SimulationStep(start.AddMinutes(minute), TimeSpan.FromMinutes(1), 16, "default", new PowerBalance(0, 500, carW), null, true));
        }

        var svg = SvgOf(await Html(chart));

        var points = Points(svg, "car");
        Assert.InRange(points.Length, 700, 1500);
        var hover = svg.Descendants(Svg + "rect").Select(r => r.Element(Svg + "title")!.Value).ToList();
        Assert.All(hover, title => Assert.Contains("car 3.50 kW", title));
        Assert.Contains("2026-06", svg.Descendants(Svg + "text").Select(t => t.Value));
    }

    [Fact]
    public async Task An_empty_run_still_gives_a_valid_chart()
    {
        var svg = SvgOf(await Html(new ChartWriter(Berlin)));

        Assert.Empty(Points(svg, "car"));
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}

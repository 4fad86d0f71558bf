using System.Globalization;
using System.Xml.Linq;

namespace BmwWallbox.Simulation;

/// <summary>
/// Draws the run as one self-contained HTML page with an inline SVG (no script, no font, nothing
/// fetched): solar, house and car power on the left axis (kW), the effective limit on the right
/// axis (A), rule firings as ticks in one lane per rule at the top. Long runs are averaged into
/// buckets (1 min up to 1 day) so the page stays small; hovering a bucket shows its values.
/// </summary>
public sealed class ChartWriter(TimeZoneInfo zone, int maxPoints = 1500)
{
    private const double Width = 1200, Height = 560;
    private const double Left = 70, Right = 70, Top = 24, Bottom = 90, LaneHeight = 10;
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly string[] RuleColors = ["#7b3fa0", "#0a7f8c", "#c2185b", "#5d4037", "#1565c0", "#9e9d24", "#ef6c00", "#455a64"];

    private readonly ChartBuckets _buckets = new(zone, maxPoints);
    private DateTimeOffset? _from;
    private DateTimeOffset _to;

    public void Add(in SimulationStep step)
    {
        _from ??= step.Time;
        _to = step.Time + step.Duration;
        _buckets.Add(step);
    }

    public void RuleFired(string ruleId, DateTimeOffset at) => _buckets.RuleFired(ruleId, at);

    /// <summary>Writes the HTML page; the summary (when given) is shown under the chart.</summary>
    public async Task WriteHtmlAsync(TextWriter writer, string title, SimulationSummary? summary = null, CancellationToken ct = default)
    {
        var html = Escape(title);
        var width = _buckets.Width;
        var resolution = width.TotalMinutes < 60 ? $"{width.TotalMinutes:0} min" : width.TotalHours < 24 ? $"{width.TotalHours:0} h" : "1 day";
        var page = $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>{{html}}</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
            svg { max-width: 100%; height: auto; }
            svg .hover:hover { fill: #000; fill-opacity: 0.06; }
            pre { background: #f6f6f6; padding: 1em; }
            </style>
            </head>
            <body>
            <h1>{{html}}</h1>
            <p>Times are local ({{Escape(zone.Id)}}). Each point is the average over {{resolution}}; hover the chart for values, hover a rule tick for the rule.</p>
            {{BuildSvg().ToString(SaveOptions.DisableFormatting)}}
            {{(summary is null ? "" : $"<h2>Summary</h2>\n<pre>{Escape(summary.ToText(zone))}</pre>")}}
            </body>
            </html>

            """;
        await writer.WriteAsync(page.AsMemory(), ct);
        await writer.FlushAsync(ct);
    }

    public async Task WriteHtmlAsync(string path, string title, SimulationSummary? summary = null, CancellationToken ct = default)
    {
        await using var writer = new StreamWriter(path, false, new System.Text.UTF8Encoding(false));
        await WriteHtmlAsync(writer, title, summary, ct);
    }

    internal XElement BuildSvg()
    {
        var buckets = _buckets.Ordered.ToList();
        var from = _from ?? default;
        var to = _to > from ? _to : from + TimeSpan.FromMinutes(1);
        var rules = buckets.Where(b => b.Bucket.Firings is not null).SelectMany(b => b.Bucket.Firings!.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var lanes = Math.Min(rules.Count, RuleColors.Length);
        var plotTop = Top + lanes * LaneHeight + (lanes > 0 ? 6 : 0);
        var plotBottom = Height - Bottom;
        var plotRight = Width - Right;

        var values = buckets.Where(b => b.Bucket.HasValues).ToList();
        var maxW = values.Count == 0 ? 0 : values.Max(b => Math.Max(b.Bucket.SolarW, Math.Max(b.Bucket.HouseW, b.Bucket.CarW)));
        var wStep = ChartAxes.NiceStep(Math.Max(maxW, 1000), 6);
        var wMax = Math.Ceiling(Math.Max(maxW, 1000) / wStep) * wStep;
        var maxA = values.Count == 0 ? 0 : values.Max(b => b.Bucket.LimitA);
        var aMax = Math.Max(16, Math.Ceiling(maxA / 8) * 8);
        var aStep = aMax <= 16 ? 4 : 8;

        double X(DateTimeOffset t) => Left + (t - from).Ticks / (double)(to - from).Ticks * (plotRight - Left);
        double YW(double w) => plotBottom - Math.Clamp(w / wMax, 0, 1) * (plotBottom - plotTop);
        double YA(double a) => plotBottom - Math.Clamp(a / aMax, 0, 1) * (plotBottom - plotTop);
        DateTimeOffset Mid(DateTimeOffset start) => Clamp(start + _buckets.Width / 2, from, to);

        var svg = new XElement(Svg + "svg",
            new XAttribute("viewBox", $"0 0 {F(Width)} {F(Height)}"),
            new XAttribute("width", F(Width)), new XAttribute("height", F(Height)),
            new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", "12"),
            new XAttribute("role", "img"));

        // Grid and axes.
        var axes = new XElement(Svg + "g", new XAttribute("class", "axes"));
        for (var w = 0.0; w <= wMax + wStep / 2; w += wStep)
        {
            axes.Add(Line(Left, YW(w), plotRight, YW(w), "#e4e4e4"));
            axes.Add(Text(Left - 6, YW(w) + 4, $"{F(w / 1000)} kW", "end"));
        }
        for (var a = 0.0; a <= aMax; a += aStep)
            axes.Add(Text(plotRight + 6, YA(a) + 4, $"{F(a)} A", "start"));
        foreach (var (at, label) in _from is null ? [] : ChartAxes.TimeTicks(from, to, zone))
        {
            axes.Add(Line(X(at), plotBottom, X(at), plotBottom + 5, "#555"));
            axes.Add(Text(X(at), plotBottom + 18, label, "middle"));
        }
        axes.Add(Line(Left, plotBottom, plotRight, plotBottom, "#555"));
        axes.Add(Line(Left, plotTop, Left, plotBottom, "#555"));
        axes.Add(Line(plotRight, plotTop, plotRight, plotBottom, "#555"));
        axes.Add(Text(Left, plotBottom + 36, $"local time ({zone.Id})", "start"));
        axes.Add(Text(Left - 6, plotTop - 8, "power", "end"));
        axes.Add(Text(plotRight + 6, plotTop - 8, "limit", "start"));
        svg.Add(axes);

        // Series.
        var solarPoints = values.Select(b => (X(Mid(b.Start)), YW(b.Bucket.SolarW))).ToList();
        if (solarPoints.Count > 0)
        {
            var area = solarPoints.Prepend((solarPoints[0].Item1, plotBottom)).Append((solarPoints[^1].Item1, plotBottom));
            svg.Add(new XElement(Svg + "polygon", new XAttribute("class", "series-solar-area"),
                new XAttribute("points", Points(area)), new XAttribute("fill", "#f5a623"), new XAttribute("fill-opacity", "0.25")));
        }
        svg.Add(Series("solar", solarPoints, "#e08e0b", null));
        svg.Add(Series("house", values.Select(b => (X(Mid(b.Start)), YW(b.Bucket.HouseW))), "#4a6fa5", null));
        svg.Add(Series("car", values.Select(b => (X(Mid(b.Start)), YW(b.Bucket.CarW))), "#2e9e4f", null));
        svg.Add(Series("limit", values.Select(b => (X(Mid(b.Start)), YA(b.Bucket.LimitA))), "#d0021b", "6 3"));

        // Rule firings: one lane per rule (colour as in the legend), a faint line across the plot when there are few.
        var firings = buckets.Where(b => b.Bucket.Firings is not null).ToList();
        var few = firings.Sum(b => b.Bucket.Firings!.Count) <= 100;
        var markers = new XElement(Svg + "g", new XAttribute("class", "rule-firings"));
        foreach (var (start, bucket) in firings)
        {
            var x = X(Clamp(start, from, to));
            foreach (var (rule, count) in bucket.Firings!)
            {
                var lane = rules.IndexOf(rule) % RuleColors.Length;
                var color = RuleColors[lane];
                var y = Top + lane * LaneHeight;
                var when = LocalTimes.Format(start, zone, _buckets.Width < TimeSpan.FromDays(1) ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd");
                var marker = new XElement(Svg + "g", new XAttribute("class", "rule-firing"), new XAttribute("data-rule", rule),
                    new XElement(Svg + "title", $"{when} {rule} fired" + (count > 1 ? $" ×{count}" : "")),
                    Line(x, y, x, y + LaneHeight - 2, color, 2));
                if (few) marker.Add(Line(x, plotTop, x, plotBottom, color, 1, "0.3"));
                markers.Add(marker);
            }
        }
        svg.Add(markers);

        // Hover areas with the bucket's values.
        var hover = new XElement(Svg + "g", new XAttribute("fill", "transparent"));
        foreach (var (start, bucket) in values)
        {
            var x0 = X(Clamp(start, from, to));
            var x1 = X(Clamp(start + _buckets.Width, from, to));
            hover.Add(new XElement(Svg + "rect", new XAttribute("class", "hover"),
                new XAttribute("x", F(x0)), new XAttribute("y", F(plotTop)),
                new XAttribute("width", F(Math.Max(x1 - x0, 0.5))), new XAttribute("height", F(plotBottom - plotTop)),
                new XElement(Svg + "title",
                    $"{LocalTimes.Format(start, zone)}: solar {F(bucket.SolarW / 1000, "0.00")} kW, house {F(bucket.HouseW / 1000, "0.00")} kW, "
                    + $"car {F(bucket.CarW / 1000, "0.00")} kW, limit {F(bucket.LimitA)} A")));
        }
        svg.Add(hover);

        svg.Add(Legend(rules, plotBottom + 58));
        return svg;
    }

    private static XElement Legend(IReadOnlyList<string> rules, double y)
    {
        var legend = new XElement(Svg + "g", new XAttribute("class", "legend"));
        var x = Left;
        void Entry(string label, string color, string? dash)
        {
            legend.Add(Line(x, y - 4, x + 24, y - 4, color, 3, dash: dash));
            legend.Add(Text(x + 30, y, label, "start"));
            x += 40 + label.Length * 7;
        }
        Entry("solar (kW, left)", "#e08e0b", null);
        Entry("house (kW, left)", "#4a6fa5", null);
        Entry("car (kW, left)", "#2e9e4f", null);
        Entry("limit (A, right)", "#d0021b", "6 3");
        for (var i = 0; i < rules.Count; i++)
        {
            if (i == RuleColors.Length)
            {
                legend.Add(Text(x, y, $"+{rules.Count - i} more rules (see tick tooltips)", "start"));
                break;
            }
            Entry($"rule {rules[i]}", RuleColors[i], null);
        }
        return legend;
    }

    private static XElement Series(string name, IEnumerable<(double X, double Y)> points, string color, string? dash)
    {
        var line = new XElement(Svg + "polyline", new XAttribute("class", $"series-{name}"),
            new XAttribute("points", Points(points)), new XAttribute("fill", "none"),
            new XAttribute("stroke", color), new XAttribute("stroke-width", "1.6"), new XAttribute("stroke-linejoin", "round"));
        if (dash is not null) line.Add(new XAttribute("stroke-dasharray", dash));
        return line;
    }

    private static XElement Line(double x1, double y1, double x2, double y2, string color, double width = 1, string? opacity = null, string? dash = null)
    {
        var line = new XElement(Svg + "line",
            new XAttribute("x1", F(x1)), new XAttribute("y1", F(y1)), new XAttribute("x2", F(x2)), new XAttribute("y2", F(y2)),
            new XAttribute("stroke", color), new XAttribute("stroke-width", F(width)));
        if (opacity is not null) line.Add(new XAttribute("stroke-opacity", opacity));
        if (dash is not null) line.Add(new XAttribute("stroke-dasharray", dash));
        return line;
    }

    private static XElement Text(double x, double y, string text, string anchor) =>
        new(Svg + "text", new XAttribute("x", F(x)), new XAttribute("y", F(y)), new XAttribute("text-anchor", anchor), text);

    private static string Points(IEnumerable<(double X, double Y)> points) =>
        string.Join(' ', points.Select(p => $"{F(p.X)},{F(p.Y)}"));

    /// <summary>HTML-escapes markup characters only (the page is UTF-8, so "×" and "→" stay readable).</summary>
    private static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    private static DateTimeOffset Clamp(DateTimeOffset t, DateTimeOffset min, DateTimeOffset max) => t < min ? min : t > max ? max : t;

    private static string F(double value, string format = "0.#") => value.ToString(format, CultureInfo.InvariantCulture);
}

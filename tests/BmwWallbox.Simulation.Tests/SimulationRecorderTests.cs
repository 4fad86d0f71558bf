using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;

namespace BmwWallbox.Simulation.Tests;

public sealed class SimulationRecorderTests : IDisposable
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private readonly string _out = Path.Combine(Path.GetTempPath(), $"simulate-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }

    [Fact]
    public async Task Writes_timeline_summary_and_chart_that_agree()
    {
        // The price day with a car plugged in 08:00–17:00 that a "rule" lets charge at 10 A from 11:00.
        using var reader = SignalCsvReader.Open(RepoPaths.Of("examples/data/price-day.csv"), Berlin);
        var house = new HouseModel(reader.Columns);
        var car = new CarModel(new CarOptions(), new WallboxHardwareOptions(), Berlin);
        var rows = 0;
        SimulationSummary summary;
        await using (var recorder = new SimulationRecorder(_out, reader.Columns, Berlin))
        {
            foreach (var (sample, duration) in reader.ReadSteps())
            {
                house.Update(sample);
                var local = TimeZoneInfo.ConvertTime(sample.Time, Berlin);
                if (local.Hour == 11 && local.Minute == 0) recorder.RuleFired("cheap-noon", sample.Time);
                var limit = local.Hour >= 11 ? 10 : 0;
                var plugged = car.IsPluggedIn(sample.Time);
                var carW = plugged ? limit * 3 * 230.0 : 0; // the battery never fills here (41.4 of 64 kWh)
                recorder.Step(new SimulationStep(sample.Time, duration, limit, limit > 0 ? "rule:cheap-noon" : "default",
                    house.Balance(carW), house.Price, plugged, SocPercent: 20), sample);
                rows++;
            }
            summary = await recorder.CompleteAsync("Price day", CancellationToken.None);
        }

        // 10 A × 3 × 230 V = 6.9 kW from 11:00 to 17:00 = 41.4 kWh, unless the battery fills first (it does not: 80 kWh from 20 %).
        Assert.Equal(41.4, summary.ChargedKwh, 3);
        Assert.NotNull(summary.ImportCost);
        Assert.Equal(1, summary.RulesFired["cheap-noon"]);

        var timeline = File.ReadAllLines(Path.Combine(_out, SimulationRecorder.TimelineFile));
        Assert.Equal(rows + 1, timeline.Length);
        var header = timeline[0].Split(',');
        var import = Array.IndexOf(header, "grid_import_w");
        var importKwh = timeline.Skip(1).Sum(line => double.Parse(line.Split(',')[import], CultureInfo.InvariantCulture)) * 5 / 60 / 1000;
        Assert.Equal(summary.ImportKwh, importKwh, 1); // the timeline rounds to whole watts

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_out, SimulationRecorder.SummaryFile)));
        Assert.Equal(summary.ImportCost!.Value, json.RootElement.GetProperty("import_cost").GetDouble());

        var html = await File.ReadAllTextAsync(Path.Combine(_out, SimulationRecorder.ChartFile));
        var svg = XDocument.Parse(html[html.IndexOf("<svg", StringComparison.Ordinal)..(html.IndexOf("</svg>", StringComparison.Ordinal) + 6)]);
        Assert.Contains(svg.Descendants(), e => (string?)e.Attribute("data-rule") == "cheap-noon");
    }
}

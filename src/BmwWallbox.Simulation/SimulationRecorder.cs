namespace BmwWallbox.Simulation;

/// <summary>
/// Feeds each step and rule firing to the timeline, the summary and the chart, and writes the
/// outputs of <c>simulate</c> into one folder: timeline.csv (while running), summary.json and
/// chart.html (on <see cref="CompleteAsync"/>).
/// </summary>
public sealed class SimulationRecorder : IAsyncDisposable
{
    public const string TimelineFile = "timeline.csv";
    public const string SummaryFile = "summary.json";
    public const string ChartFile = "chart.html";

    private readonly string _outDir;
    private readonly TimelineWriter _timeline;
    private readonly SimulationSummaryBuilder _summary = new();
    private readonly ChartWriter _chart;
    private readonly OptimumBuilder? _optimum;

    /// <param name="signals">The signal columns of the input (<see cref="SignalCsvReader.Columns"/>).</param>
    /// <param name="optimum">The car's bounds, to compute the perfect-foresight optimum beside the summary (none without).</param>
    public SimulationRecorder(string outDir, IReadOnlyList<string> signals, TimeZoneInfo zone, OptimumLimits? optimum = null)
    {
        if (optimum is { } limits) _optimum = new OptimumBuilder(limits);
        Directory.CreateDirectory(outDir);
        _outDir = outDir;
        _chart = new ChartWriter(zone);
        _timeline = TimelineWriter.Create(Path.Combine(outDir, TimelineFile), signals, zone);
    }

    public void Step(in SimulationStep step, in SignalSample sample)
    {
        _timeline.Write(step, sample);
        _summary.Add(step);
        _optimum?.Add(step);
        _chart.Add(step);
    }

    public void RuleFired(string ruleId, DateTimeOffset at)
    {
        _summary.RuleFired(ruleId);
        _chart.RuleFired(ruleId, at);
    }

    public void RuleFailed(string ruleId, DateTimeOffset at, string error) => _summary.RuleFailed(ruleId, at, error);

    /// <summary>Finishes timeline.csv, writes summary.json and chart.html, and returns the summary.</summary>
    public async Task<SimulationSummary> CompleteAsync(string title, CancellationToken ct = default)
    {
        await _timeline.FlushAsync(ct);
        var summary = _summary.Build();
        summary = summary with { Optimum = _optimum?.Build(summary) };
        await using (var json = File.Create(Path.Combine(_outDir, SummaryFile)))
            await summary.WriteJsonAsync(json, ct);
        await _chart.WriteHtmlAsync(Path.Combine(_outDir, ChartFile), title, summary, ct);
        return summary;
    }

    public ValueTask DisposeAsync() => _timeline.DisposeAsync();
}

using System.Globalization;

namespace BmwWallbox.LoadBenchmark;

/// <summary>One Markdown table per scenario: a row per figure, a column per CSMS.</summary>
internal static class Report
{
    public static void Write(TextWriter output, IReadOnlyList<Measurement> results)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine($"## {results[0].Scenario}");
        output.WriteLine();
        output.WriteLine($"| | {string.Join(" | ", results.Select(r => r.Target))} |");
        output.WriteLine($"| --- |{string.Concat(results.Select(_ => " --- |"))}");
        void Row(string name, Func<Measurement, string> value) => output.WriteLine($"| {name} | {string.Join(" | ", results.Select(value))} |");
        if (results[0].Stations > 1 || results[0].Connected > 0)
        {
            Row("stations connected", r => $"{r.Connected} of {r.Stations}");
            Row("time to connect and boot all", r => string.Format(c, "{0:0.0} s", r.ConnectTime.TotalSeconds));
            Row("calls/s", r => string.Format(c, "{0:0}", r.CallsPerSecond));
            Row("p50 / p99", r => string.Format(c, "{0:0.0} / {1:0.0} ms", r.P50Ms, r.P99Ms));
            Row("server CPU", r => string.Format(c, "{0:0} %", r.CpuPercent));
            if (results.Any(r => r.GeneratorCpuPercent > 0))
            {
                Row("server CPU per call", r => string.Format(c, "{0:0} µs", r.CpuPerCallUs));
                Row("load generator CPU", r => string.Format(c, "{0:0} %", r.GeneratorCpuPercent));
            }
            // The generator's own collections stop its clients too: a call in flight then looks that much slower.
            Row("load generator GC pauses", r => string.Format(c, "{0} ({1:0} ms)", r.GeneratorGc.Count, r.GeneratorGc.Total.TotalMilliseconds));
            if (results.Any(r => !double.IsNaN(r.P99WithoutGeneratorGcMs)))
                Row("p99 of the calls no generator GC fell within", r => string.Format(c, "{0:0.0} ms", r.P99WithoutGeneratorGcMs));
            Row("server RSS", r => string.Format(c, "{0:0} MB", r.RssBytes / 1048576.0));
            Row("RSS per station", r => string.Format(c, "{0:0} KB", r.RssPerStationKb));
            Row("errors", r => r.Errors.ToString(c));
        }
        else
        {
            Row("start to listening", r => string.Format(c, "{0:0} ms", r.StartToListening.TotalMilliseconds));
            Row("RSS", r => string.Format(c, "{0:0} MB", r.RssBytes / 1048576.0));
        }
        output.Flush();
    }

    /// <summary>One table for the MQTT-to-box latencies (bmw-rules only: the peer has no MQTT and no rules).</summary>
    public static void WriteLatency(TextWriter output, LatencyMeasurement result)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine($"## {result.Scenario}");
        output.WriteLine();
        output.WriteLine("| | bmw-rules |");
        output.WriteLine("| --- | --- |");
        output.WriteLine(string.Format(c, "| samples | {0} |", result.Samples));
        output.WriteLine(string.Format(c, "| p50 / p99 | {0:0.0} / {1:0.0} ms |", result.P50Ms, result.P99Ms));
        output.WriteLine(string.Format(c, "| max | {0:0.0} ms |", result.MaxMs));
        output.WriteLine(string.Format(c, "| no SetChargingProfile within 10 s | {0} |", result.Missed));
        output.Flush();
    }
}

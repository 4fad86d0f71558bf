using System.Globalization;
using System.Text;

namespace BmwWallbox.Simulation;

/// <summary>
/// Writes timeline.csv, one row per step: <c>time</c> (UTC, Z), <c>local_time</c>, each recorded
/// signal as it was in the input (empty where the input was), then <c>limit_a, limit_source,
/// car_w, grid_import_w, grid_export_w, solar_w, house_w, soc_percent</c> — the power flows the
/// simulation used (held values, derived house load). Streams: nothing is kept per row.
/// </summary>
public sealed class TimelineWriter : IAsyncDisposable, IDisposable
{
    private readonly TextWriter _writer;
    private readonly TimeZoneInfo _zone;
    private readonly int _signalCount;
    private const long QuarterHourTicks = TimeSpan.TicksPerMinute * 15;
    private readonly char[] _buffer = new char[32];
    private long _offsetQuarter = long.MinValue;
    private TimeSpan _offset;

    public TimelineWriter(TextWriter writer, IReadOnlyList<string> signals, TimeZoneInfo zone)
    {
        _writer = writer;
        _zone = zone;
        _signalCount = signals.Count;
        _writer.Write("time,local_time");
        foreach (var signal in signals)
        {
            _writer.Write(',');
            WriteText(signal);
        }
        _writer.Write(",limit_a,limit_source,car_w,grid_import_w,grid_export_w,solar_w,house_w,soc_percent\n");
    }

    public static TimelineWriter Create(string path, IReadOnlyList<string> signals, TimeZoneInfo zone) =>
        new(new StreamWriter(path, false, new UTF8Encoding(false), 64 * 1024), signals, zone);

    /// <summary>Appends the row of a step with the recorded signal values of that step's sample.</summary>
    public void Write(in SimulationStep step, in SignalSample signals)
    {
        if (signals.Count != _signalCount)
            throw new ArgumentException($"The sample has {signals.Count} signals, the timeline header {_signalCount}", nameof(signals));
        WriteTime(step.Time.UtcDateTime, 'T');
        _writer.Write("Z,");
        WriteTime(LocalTime(step.Time), ' ');
        for (var i = 0; i < _signalCount; i++)
        {
            _writer.Write(',');
            // As recorded: the shortest text that round-trips is what the input said.
            if (signals.TryGetValue(i, out var value)) WriteNumber(value);
        }
        _writer.Write(',');
        WriteNumber(Math.Round(step.LimitA, 1));
        _writer.Write(',');
        WriteText(step.LimitSource);
        var flows = step.Flows;
        foreach (var watts in (ReadOnlySpan<double>)[step.Power.CarW, flows.ImportW, flows.ExportW, step.Power.SolarW, step.Power.HouseW])
        {
            _writer.Write(',');
            WriteNumber(Math.Round(watts));
        }
        _writer.Write(',');
        if (step.SocPercent is { } soc) WriteNumber(Math.Round(soc, 1));
        _writer.Write('\n');
    }

    public Task FlushAsync(CancellationToken ct = default) => _writer.FlushAsync(ct);

    public void Dispose() => _writer.Dispose();

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private void WriteNumber(double value)
    {
        // "-0" reads oddly in a spreadsheet.
        if (value == 0) value = 0;
        // Most values are whole watts: as a long they format alike ("1234") and without the search for the shortest
        // round-trip digits, which was the dearest part of a row. Doubles switch to exponent notation only from 1E+15.
        int length;
        if (Math.Abs(value) < 1e15 && value == Math.Floor(value)) ((long)value).TryFormat(_buffer, out length, provider: CultureInfo.InvariantCulture);
        else value.TryFormat(_buffer, out length, provider: CultureInfo.InvariantCulture);
        _writer.Write(_buffer, 0, length);
    }

    /// <summary>"yyyy-MM-ddTHH:mm:ss" ("s" is the fast sortable format) with the chosen date/time separator.</summary>
    private void WriteTime(DateTime time, char separator)
    {
        time.TryFormat(_buffer, out var length, "s", CultureInfo.InvariantCulture);
        _buffer[10] = separator;
        _writer.Write(_buffer, 0, length);
    }

    /// <summary>
    /// Local time with the offset looked up once per UTC quarter hour: time zones change their offset
    /// only at quarter hours, and the lookup is the costliest part of a row.
    /// </summary>
    private DateTime LocalTime(DateTimeOffset time)
    {
        var quarter = time.UtcTicks / QuarterHourTicks;
        if (quarter != _offsetQuarter)
        {
            _offsetQuarter = quarter;
            _offset = _zone.GetUtcOffset(time);
        }
        return time.UtcDateTime + _offset;
    }

    /// <summary>Quotes text that contains a separator, quote or line break.</summary>
    private void WriteText(string text)
    {
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            _writer.Write(text);
            return;
        }
        _writer.Write('"');
        _writer.Write(text.Replace("\"", "\"\""));
        _writer.Write('"');
    }
}

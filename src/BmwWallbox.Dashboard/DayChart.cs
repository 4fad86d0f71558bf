using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Tracing;

namespace BmwWallbox.Dashboard;

/// <summary>One minute of the day's chart: the last values seen in that minute (null = not known yet).</summary>
public sealed record ChartPoint(DateTimeOffset Minute, double? SolarW, double? HouseW, double? CarW, double? LimitA);

/// <summary>A rule run that did something, marked on the chart with what it did.</summary>
public sealed record ChartMark(DateTimeOffset At, string RuleId, string Text);

/// <summary>
/// The day's chart per station, kept in memory one point per minute since the start (at most two days):
/// solar and house power from the signals, the car's power from the box, the effective limit from the
/// controller. A minute with no news repeats the last values, so the lines run on between readings. Rule
/// runs that acted are kept as marks (the newest <see cref="MaxMarks"/>).
/// </summary>
internal sealed class DayChart(string? solarSignal, string? houseSignal, TimeProvider time)
{
    public const int MaxMinutes = 2 * 24 * 60;
    public const int MaxMarks = 500;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<ChartPoint>> _points = new(StringComparer.Ordinal);
    private readonly List<ChartMark> _marks = [];
    private double? _solar, _house;
    private readonly Dictionary<string, (double? CarW, double? LimitA)> _stations = new(StringComparer.Ordinal);

    /// <summary>Which configured signal is drawn as solar / house power (by name: the first containing "solar", "house").</summary>
    public static DayChart For(ISignals signals, TimeProvider time)
    {
        var names = signals.Names.Order(StringComparer.Ordinal).ToList();
        return new DayChart(names.FirstOrDefault(n => n.Contains("solar", StringComparison.OrdinalIgnoreCase)),
            names.FirstOrDefault(n => n.Contains("house", StringComparison.OrdinalIgnoreCase) || n.Contains("home", StringComparison.OrdinalIgnoreCase)), time);
    }

    public string? SolarSignal => solarSignal;
    public string? HouseSignal => houseSignal;

    public void OnSignal(SignalReading reading)
    {
        if (reading.Name != solarSignal && reading.Name != houseSignal) return;
        lock (_lock)
        {
            var value = reading.Available ? reading.Value : null;
            if (reading.Name == solarSignal) _solar = value;
            else _house = value;
            foreach (var station in _stations.Keys.ToList()) RecordLocked(station);
        }
    }

    public void OnStation(string stationId, double? carW, double? limitA)
    {
        lock (_lock)
        {
            _stations[stationId] = (carW, limitA);
            RecordLocked(stationId);
        }
    }

    public void OnTrace(RuleTrace trace)
    {
        if (trace.Actions.Count == 0 && trace.Error is null) return; // looked, did nothing
        var did = trace.Actions.Count > 0
            ? string.Join("; ", trace.Actions.Select(a => $"{a.Action} → {a.Outcome}{(a.Message.Length > 0 ? $" ({a.Message})" : "")}"))
            : $"error: {trace.Error}";
        lock (_lock)
        {
            _marks.Add(new ChartMark(trace.FinishedAt, trace.RuleId, did));
            if (_marks.Count > MaxMarks) _marks.RemoveRange(0, _marks.Count - MaxMarks);
        }
    }

    /// <summary>The station's points and the marks since <paramref name="since"/>, filled up to the current minute.</summary>
    public (IReadOnlyList<ChartPoint> Points, IReadOnlyList<ChartMark> Marks) Since(string stationId, DateTimeOffset since)
    {
        lock (_lock)
        {
            if (_stations.ContainsKey(stationId)) RecordLocked(stationId);
            var points = _points.TryGetValue(stationId, out var list) ? list.Where(p => p.Minute >= since).ToList() : [];
            return (points, _marks.Where(m => m.At >= since).ToList());
        }
    }

    /// <summary>Sets the current minute's point to the latest values, first repeating the last point over any silent minutes.</summary>
    private void RecordLocked(string stationId)
    {
        var now = time.GetUtcNow();
        var minute = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        if (!_points.TryGetValue(stationId, out var list)) _points[stationId] = list = [];
        var (carW, limitA) = _stations[stationId];
        var point = new ChartPoint(minute, _solar, _house, carW, limitA);
        if (list.Count > 0 && list[^1].Minute == minute)
        {
            list[^1] = point;
            return;
        }
        if (list.Count > 0)
        {
            var last = list[^1];
            // At most MaxMinutes of filler: after a long silence only the window that is kept matters.
            var from = Math.Max(1, (int)((minute - last.Minute).TotalMinutes) - MaxMinutes);
            for (var m = last.Minute.AddMinutes(from); m < minute; m = m.AddMinutes(1)) list.Add(last with { Minute = m });
        }
        list.Add(point);
        if (list.Count > MaxMinutes) list.RemoveRange(0, list.Count - MaxMinutes);
    }
}

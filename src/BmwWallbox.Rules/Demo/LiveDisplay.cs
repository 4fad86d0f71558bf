using System.Globalization;
using BmwWallbox.Rules.Engine.Tracing;

namespace BmwWallbox.Rules.Demo;

/// <summary>
/// Writes the demo's live table: a line whenever limit, source, box or car state change, at least
/// every virtual quarter hour, and a highlighted line for every rule that acted. Thread-safe.
/// </summary>
/// <param name="color">Highlight rule lines with ANSI colours (only for a terminal).</param>
internal sealed class LiveDisplay(TextWriter output, bool color = false)
{
    private const string Highlight = "\u001b[1;33m", Reset = "\u001b[0m";
    private static readonly TimeSpan QuietLine = TimeSpan.FromMinutes(15);
    private readonly Lock _lock = new();
    private DemoSnapshot? _last;
    private DateOnly? _day;

    public void Header()
    {
        lock (_lock) output.WriteLine(" time    solar W   limit  set by         box   power     car  state");
    }

    /// <summary>Prints the snapshot if something changed or a quarter hour passed; true when it printed.</summary>
    public bool Show(DemoSnapshot s)
    {
        lock (_lock)
        {
            if (_last is { } last && Equals(last.Key, s.Key) && s.At - last.At < QuietLine) return false;
            DayLine(s.At);
            _last = s;
            var solar = s.SolarW is { } w ? w.ToString("0", CultureInfo.InvariantCulture) : "-";
            var soc = s.CarSocPercent is { } p ? $"{p:0} %" : "-";
            output.WriteLine(Invariant($" {s.At:HH:mm}  {solar,8}  {Amps(s.Limit),6}  {s.LimitSource,-12} {Amps(s.BoxLimit),5}  {s.PowerW / 1000,4:0.0} kW  {soc,5}  {s.ChargingState}"));
            return true;
        }
    }

    /// <summary>A rule that did something: its id, why it ran, and each action with the answer.</summary>
    public void RuleActed(RuleTrace trace, DateTimeOffset at)
    {
        var actions = string.Join("; ", trace.Actions.Select(a => $"{a.Action} → {a.Outcome}"));
        var error = trace.Error is null ? "" : $" ERROR: {trace.Error}";
        lock (_lock)
        {
            DayLine(at);
            var line = $"▶ rule {trace.RuleId} ({trace.Trigger.Description}): {actions}{error}";
            output.WriteLine($" {at:HH:mm}  {(color ? Highlight + line + Reset : line)}");
        }
    }

    /// <summary>Something the demo itself did (not the rules).</summary>
    public void Event(DateTimeOffset at, string text)
    {
        lock (_lock)
        {
            DayLine(at);
            output.WriteLine($" {at:HH:mm}  {text}");
        }
    }

    public void Line(string text)
    {
        lock (_lock) output.WriteLine(text);
    }

    private void DayLine(DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.DateTime);
        if (_day is { } known && known != day)
            output.WriteLine(Invariant($" ── {at:ddd d MMM} ──"));
        _day = day;
    }

    private static string Amps(double a) => Invariant($"{a:0.#} A");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BmwWallbox.Core;

namespace BmwWallbox.Simulation;

/// <summary>
/// What a simulated run amounts to. Energies in kWh, costs in the price signal's currency (import
/// only: export revenue is not counted), durations in hours. Serialised to summary.json.
/// </summary>
public sealed record SimulationSummary
{
    [JsonConverter(typeof(UtcInstantConverter))] public DateTimeOffset From { get; init; }
    [JsonConverter(typeof(UtcInstantConverter))] public DateTimeOffset To { get; init; }
    public int Steps { get; init; }
    public double PluggedInHours { get; init; }
    public double ChargingHours { get; init; }

    public double ChargedKwh { get; init; }
    public double ChargedFromSolarKwh { get; init; }
    /// <summary>ChargedFromSolarKwh / ChargedKwh; null when nothing was charged.</summary>
    public double? SolarShare { get; init; }
    public double ImportKwh { get; init; }
    public double ExportKwh { get; init; }
    /// <summary>Import × price over the steps with a known price; null when no step had one.</summary>
    public double? ImportCost { get; init; }
    /// <summary>The import the car caused (its power not covered by surplus) × price.</summary>
    public double? CarCost { get; init; }
    /// <summary>Steps without a known price (their import is not in the costs).</summary>
    public int StepsWithoutPrice { get; init; }

    /// <summary>Pauses (limit &gt; 0 → 0) while plugged in.</summary>
    public int Pauses { get; init; }
    /// <summary>Pauses followed by a resume (0 → &gt; 0) in the same plug-in session.</summary>
    public int PauseResumeCycles { get; init; }
    /// <summary>Times the car went on charging on another number of phases in a session (a box that switches 1 ↔ 3 phases).</summary>
    public int PhaseSwitches { get; init; }
    /// <summary>Plugged-in hours per effective limit, rounded to whole amps (0 = paused).</summary>
    public IReadOnlyDictionary<int, double> HoursAtCurrent { get; init; } = new SortedDictionary<int, double>();
    /// <summary>Firings per rule id.</summary>
    public IReadOnlyDictionary<string, int> RulesFired { get; init; } = new SortedDictionary<string, int>(StringComparer.Ordinal);
    /// <summary>Per rule id whose runs ended in an error: how often, and the first error.</summary>
    public IReadOnlyDictionary<string, RuleErrors> RuleErrors { get; init; } = new SortedDictionary<string, RuleErrors>(StringComparer.Ordinal);

    /// <summary>Plug-in sessions seen (0 when no car is modelled or it never plugged in).</summary>
    public int Sessions { get; init; }
    public double? SocStart { get; init; }
    public double? SocEnd { get; init; }
    /// <summary>The lowest state of charge the car left with (null when it never left).</summary>
    public double? MinSocAtDeparture { get; init; }
    /// <summary>The perfect-foresight optimum for the same data, car and plug windows; null without a car plugged in.</summary>
    public OptimumSummary? Optimum { get; init; }

    private static readonly SimulationSummaryJson Json = new(ReadableJson.Of(SimulationSummaryJson.Default.Options));

    public string ToJson() => JsonSerializer.Serialize(this, Json.SimulationSummary);

    public Task WriteJsonAsync(Stream stream, CancellationToken ct = default) => JsonSerializer.SerializeAsync(stream, this, Json.SimulationSummary, ct);

    /// <summary>The summary for the console, times in <paramref name="zone"/>.</summary>
    public string ToText(TimeZoneInfo zone)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        void Line(string label, string value) => text.Append(c, $"{label,-20}{value}\n");

        Line("Simulated", $"{LocalTimes.Format(From, zone)} → {LocalTimes.Format(To, zone)} ({zone.Id}), {Steps} steps");
        Line("Car plugged in", $"{Hours(PluggedInHours)}, charging {Hours(ChargingHours)}");
        Line("Charged", string.Create(c, $"{ChargedKwh:0.00} kWh")
            + (SolarShare is { } share ? string.Create(c, $", {share:0%} from solar surplus ({ChargedFromSolarKwh:0.00} kWh)") : ""));
        Line("Grid import", string.Create(c, $"{ImportKwh:0.00} kWh"));
        Line("Grid export", string.Create(c, $"{ExportKwh:0.00} kWh (feed-in revenue not counted)"));
        if (ImportCost is { } cost)
            Line("Cost of import", string.Create(c, $"{cost:0.00}, of which the car {CarCost ?? 0:0.00} (price × kWh)")
                + (StepsWithoutPrice > 0 ? $"; {StepsWithoutPrice} steps without a price not counted" : ""));
        Line("Pause/resume", $"{PauseResumeCycles} cycles ({Pauses} pauses)");
        if (PhaseSwitches > 0) Line("Phase switches", $"{PhaseSwitches} (1 ↔ 3 phases)");
        if (HoursAtCurrent.Count > 0)
            Line("Time at limit", string.Join(", ", HoursAtCurrent.Select(h => $"{(h.Key == 0 ? "paused" : h.Key + " A")} {Hours(h.Value)}")));
        Line("Rules fired", RulesFired.Count == 0 ? "none" : string.Join(", ", RulesFired.Select(r => $"{r.Key} ×{r.Value}")));
        foreach (var (rule, errors) in RuleErrors)
            Line("Rule errors", $"⚠ {rule} failed {errors.Count}×, first at {LocalTimes.Format(errors.FirstAt, zone)}: {errors.FirstError}");
        if (SocStart is { } start)
            Line("Car SoC", string.Create(c, $"{start:0}% → {SocEnd ?? start:0}% over {Sessions} session(s)")
                + (MinSocAtDeparture is { } min ? string.Create(c, $", lowest at departure {min:0}%") : ""));
        if (Optimum is { } o)
        {
            Line("Solar vs optimum", string.Create(c, $"solar {ChargedFromSolarKwh:0.0} kWh = {Pct(o.SolarAtSameGridPercent)} of the {o.SolarAtSameGridKwh:0.0} kWh possible ")
                + string.Create(c, $"with the same {o.CarGridKwh:0.0} kWh from the grid; {Pct(o.SolarPercent)} of the {o.SolarKwh:0.0} kWh the car could take"));
            if (o.FixedPhasesSolarAtSameGridKwh is { } fixedPhases)
                Line("Without switching", string.Create(c, $"at most {fixedPhases:0.0} kWh of solar on three phases only, with the same grid energy"));
            // Absolute, not in %: the bound counts surplus as free and ignores the minimum current, so where the surplus
            // could have covered the sessions it is near 0 and a percentage of it says nothing (thousands of % on a year).
            if (o.CheapestCarCost is { } cheapest)
                Line("Cost lower bound", string.Create(c, $"car cost {CarCost ?? 0:0.00}; no schedule pays less than {cheapest:0.00} for the same {ChargedKwh:0.0} kWh ")
                    + "(perfect foresight, surplus free, the minimum current ignored)");
        }
        return text.ToString();
    }

    private static string Pct(double? percent) => percent is { } p ? string.Create(CultureInfo.InvariantCulture, $"{p:0} %") : "n/a %";

    private static string Hours(double hours)
    {
        var minutes = (long)Math.Round(hours * 60);
        return minutes >= 60 ? $"{minutes / 60} h {minutes % 60:00} min" : $"{minutes} min";
    }

    /// <summary>Instants on the wire are UTC with Z.</summary>
    internal sealed class UtcInstantConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime);
    }
}

/// <summary>The summary's JSON code, generated at build time (no reflection: Native AOT, faster start).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(SimulationSummary))]
internal sealed partial class SimulationSummaryJson : JsonSerializerContext;

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BmwWallbox.Core;

namespace BmwWallbox.Planning;

/// <summary>The retained <c>&lt;base&gt;/&lt;name&gt;/plan</c> payload: the target, the chosen slots with their reasons, the expected cost.</summary>
internal static class PlanJson
{
    public static string Write(PlanTarget target, ChargePlan plan, double deliveredKwh, SocBasis? basis = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject("target");
            if (target.EnergyKwh is { } kwh) w.WriteNumber("energy_kwh", kwh);
            if (target.SocPercent is { } soc) w.WriteNumber("soc", soc);
            w.WriteString("by", target.By.ToString("HH:mm"));
            w.WriteEndObject();
            if (basis is not null)
            {
                w.WriteStartObject("soc");
                w.WriteString("signal", basis.Signal);
                if (basis.Percent is { } percent) w.WriteNumber("percent", percent);
                else w.WriteNull("percent");
                w.WriteNumber("battery_kwh", basis.BatteryKwh);
                w.WriteString("note", basis.Note);
                w.WriteEndObject();
            }
            w.WriteString("deadline", plan.Deadline);
            w.WriteString("planned_at", plan.PlannedAt);
            w.WriteNumber("delivered_kwh", Math.Round(deliveredKwh, 3));
            w.WriteNumber("needed_kwh", Math.Round(plan.NeededKwh, 3));
            w.WriteNumber("planned_kwh", Math.Round(plan.PlannedKwh, 3));
            w.WriteBoolean("feasible", plan.Feasible);
            w.WriteString("summary", plan.Summary);
            w.WriteNumber("expected_cost", Math.Round(plan.ExpectedCost, 4));
            if (plan.ExpectedCostPerKwh is { } perKwh) w.WriteNumber("expected_cost_per_kwh", Math.Round(perKwh, 4));
            else w.WriteNull("expected_cost_per_kwh");
            w.WriteString("currency", plan.Currency);
            w.WriteStartArray("slots");
            foreach (var s in plan.Slots)
            {
                w.WriteStartObject();
                w.WriteString("start", s.Start);
                w.WriteString("end", s.End);
                w.WriteNumber("power_w", Math.Round(s.PowerW));
                w.WriteNumber("energy_kwh", Math.Round(s.EnergyKwh, 3));
                if (s.Price is { } price) w.WriteNumber("price", price);
                else w.WriteNull("price");
                w.WriteNumber("solar_w", Math.Round(s.SolarW));
                w.WriteNumber("cost", Math.Round(s.Cost, 4));
                w.WriteString("reason", s.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The answer on the station's result topic, in the shape of an MQTT command's.</summary>
    public static string Result(string action, bool ok, string reason)
        => new JsonObject { ["action"] = action, ["ok"] = ok, ["reason"] = reason }.ToJsonString();
}

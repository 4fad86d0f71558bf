using System.Text.Json.Nodes;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// How the box reports its meter: the measurands the real box has (no SoC, no Current.Offered),
/// per phase, with quirk 8 (the total Current.Import freezes while the phases stay right).
/// </summary>
internal sealed class MeterSampler(SimulatedBoxOptions options, EnergyMeter meter)
{
    public static readonly string[] AllMeasurands = [DeviceModel.EnergyMeasurand, "Power.Active.Import", "Current.Import", "Voltage"];
    private static readonly string[] PhaseNames = ["L1", "L2", "L3"];

    public JsonObject MeterValuesPayload(DateTimeOffset at, string context, string[] measurands, Transaction? tx) => new()
    {
        ["evseId"] = 1,
        ["meterValue"] = new JsonArray(MeterValue(at, context, measurands, tx)),
    };

    /// <summary>One meterValue, integrated up to <paramref name="at"/>.</summary>
    public JsonObject MeterValue(DateTimeOffset at, string context, string[] measurands, Transaction? tx)
    {
        meter.Integrate(at);
        var values = new JsonArray();
        foreach (var measurand in measurands)
        {
            switch (measurand)
            {
                case DeviceModel.EnergyMeasurand:
                    values.Add(Sample(Math.Round(meter.EnergyWh, 1), context, measurand, "Wh"));
                    break;
                case "Power.Active.Import":
                    values.Add(Sample(Math.Round(meter.PowerW, 1), context, measurand, "W"));
                    break;
                case "Current.Import":
                    values.Add(Sample(TotalCurrentReading(tx), context, measurand, "A"));
                    for (var i = 0; i < options.Phases; i++)
                        values.Add(Sample(i < meter.CurrentPhases ? Math.Round(meter.CurrentA, 2) : 0, context, measurand, "A", PhaseNames[i]));
                    break;
                case "Voltage":
                    for (var i = 0; i < options.Phases; i++)
                        values.Add(Sample(options.VoltageV, context, measurand, "V", PhaseNames[i] + "-N"));
                    break;
            }
        }
        return new JsonObject { ["timestamp"] = Timestamp(at), ["sampledValue"] = values };
    }

    /// <summary>Quirk 8: the non-phased value sticks at the session's first charging current.</summary>
    private double TotalCurrentReading(Transaction? tx)
    {
        var live = Math.Round(meter.CurrentA, 2);
        if (!options.Quirks.FrozenCurrentImport || tx is null) return live;
        if (tx.FrozenCurrent is null && live > 0) tx.FrozenCurrent = live;
        return tx.FrozenCurrent ?? live;
    }

    private static JsonNode Sample(double value, string context, string measurand, string unit, string? phase = null)
    {
        var sample = new JsonObject
        {
            ["value"] = value,
            ["context"] = context,
            ["measurand"] = measurand,
        };
        if (phase is not null) sample["phase"] = phase;
        sample["unitOfMeasure"] = new JsonObject { ["unit"] = unit };
        return sample;
    }
}

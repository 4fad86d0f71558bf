using BmwWallbox.Core;
using BmwWallbox.Ocpp.Messages;

namespace BmwWallbox.Ocpp.State;

/// <summary>The values of one OCPP meterValue, in W, Wh, A and V; null where the box sent nothing usable.</summary>
internal sealed record MeterReading(
    DateTimeOffset At,
    double? PowerW,
    double? EnergyWh,
    double? CurrentA,
    PhaseValues? PhaseCurrentA,
    double? VoltageV)
{
    public bool IsEmpty => PowerW is null && EnergyWh is null && CurrentA is null && VoltageV is null;

    /// <summary>
    /// Reads the measurands the controller needs. Measurand defaults to Energy.Active.Import.Register,
    /// a missing phase means the overall value, unit (default Wh per the spec; the measurand's own unit
    /// when absent on non-energy values) and multiplier (10^n) are applied, kW/kWh become W/Wh.
    /// </summary>
    public static MeterReading Read(MeterValue meterValue)
    {
        // One slot per (measurand, overall/L1/L2/L3), the last sample of a slot wins: no dictionary per reading.
        Span<double> values = stackalloc double[Slots];
        Span<bool> present = stackalloc bool[Slots];
        foreach (var sample in meterValue.SampledValue)
        {
            var measurand = sample.Measurand ?? Measurand.EnergyActiveImportRegister;
            if (BaseUnit(measurand) is not { } unit) continue;
            if (Scale(sample, unit) is not { } value) continue; // incompatible unit: not a value we can read
            if (PhaseSlot(sample.Phase) is not { } phase) continue; // line-to-line and neutral values are not used
            var slot = MeasurandSlot(measurand) * 4 + phase;
            values[slot] = value;
            present[slot] = true;
        }

        double? At(Measurand m, int phase, ReadOnlySpan<double> v, ReadOnlySpan<bool> p) => p[MeasurandSlot(m) * 4 + phase] ? v[MeasurandSlot(m) * 4 + phase] : null;
        double? Total(Measurand m, ReadOnlySpan<double> v, ReadOnlySpan<bool> p) => At(m, 0, v, p);
        double? Combine(Measurand m, ReadOnlySpan<double> v, ReadOnlySpan<bool> p, Func<double, double, double> combine, bool average = false)
        {
            double? result = null;
            var count = 0;
            for (var phase = 1; phase <= 3; phase++)
            {
                if (At(m, phase, v, p) is not { } value) continue;
                result = result is { } sofar ? combine(sofar, value) : value;
                count++;
            }
            return average && result is { } sum ? sum / count : result;
        }

        var phaseCurrents = At(Measurand.CurrentImport, 1, values, present) is null && At(Measurand.CurrentImport, 2, values, present) is null
            && At(Measurand.CurrentImport, 3, values, present) is null
                ? null
                : new PhaseValues(At(Measurand.CurrentImport, 1, values, present), At(Measurand.CurrentImport, 2, values, present), At(Measurand.CurrentImport, 3, values, present));
        return new MeterReading(
            meterValue.Timestamp.ToUniversalTime(),
            Total(Measurand.PowerActiveImport, values, present) ?? Combine(Measurand.PowerActiveImport, values, present, Add),
            Total(Measurand.EnergyActiveImportRegister, values, present) ?? Combine(Measurand.EnergyActiveImportRegister, values, present, Add),
            // Quirk 8: the box's overall Current.Import can freeze while the phases stay right, so the
            // phases win. The highest phase is what a per-phase limit in A is compared with.
            Combine(Measurand.CurrentImport, values, present, Math.Max) ?? Total(Measurand.CurrentImport, values, present),
            phaseCurrents,
            Total(Measurand.Voltage, values, present) ?? Combine(Measurand.Voltage, values, present, Add, average: true));
    }

    private const int Slots = 4 * 4;

    private static double Add(double a, double b) => a + b;

    private static int MeasurandSlot(Measurand measurand) => measurand switch
    {
        Measurand.PowerActiveImport => 0,
        Measurand.EnergyActiveImportRegister => 1,
        Measurand.CurrentImport => 2,
        _ => 3, // Voltage: the only other measurand with a base unit
    };

    private static string? BaseUnit(Measurand measurand) => measurand switch
    {
        Measurand.PowerActiveImport => "W",
        Measurand.EnergyActiveImportRegister => "Wh",
        Measurand.CurrentImport => "A",
        Measurand.Voltage => "V",
        _ => null,
    };

    private static double? Scale(SampledValue sample, string baseUnit)
    {
        // The spec's default unit is Wh, which only fits energy; a unit-less power, current or
        // voltage is read in its own unit rather than discarded.
        var unit = sample.UnitOfMeasure?.Unit ?? baseUnit;
        var factor = unit == baseUnit ? 1
            : unit == "k" + baseUnit ? 1000
            : (double?)null;
        return factor * sample.Value * Math.Pow(10, sample.UnitOfMeasure?.Multiplier ?? 0);
    }

    /// <summary>0 for the overall value, 1-3 for L1-L3 (L1-N counts as L1 etc.); null for line-to-line and neutral values, which are not used.</summary>
    private static int? PhaseSlot(Phase? phase) => phase switch
    {
        null => 0,
        Phase.L1 or Phase.L1N => 1,
        Phase.L2 or Phase.L2N => 2,
        Phase.L3 or Phase.L3N => 3,
        _ => null,
    };
}

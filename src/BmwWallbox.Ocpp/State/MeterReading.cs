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
        var samples = new Dictionary<(Measurand, Phase?), double>();
        foreach (var sample in meterValue.SampledValue)
        {
            var measurand = sample.Measurand ?? Measurand.EnergyActiveImportRegister;
            if (BaseUnit(measurand) is not { } unit) continue;
            if (Scale(sample, unit) is not { } value) continue; // incompatible unit: not a value we can read
            samples[(measurand, Normalize(sample.Phase))] = value;
        }

        double? Total(Measurand m) => samples.TryGetValue((m, null), out var v) ? v : null;
        double?[] Phases(Measurand m) =>
        [
            samples.TryGetValue((m, Phase.L1), out var l1) ? l1 : null,
            samples.TryGetValue((m, Phase.L2), out var l2) ? l2 : null,
            samples.TryGetValue((m, Phase.L3), out var l3) ? l3 : null,
        ];
        static double? Sum(double?[] values) => values.Any(v => v is not null) ? values.Sum(v => v ?? 0) : null;
        static double? Max(double?[] values) => values.Any(v => v is not null) ? values.Max(v => v ?? double.MinValue) : null;
        static double? Average(double?[] values) => values.Any(v => v is not null) ? values.Where(v => v is not null).Average(v => v!.Value) : null;

        var current = Phases(Measurand.CurrentImport);
        var phaseCurrents = current.Any(v => v is not null) ? new PhaseValues(current[0], current[1], current[2]) : null;
        return new MeterReading(
            meterValue.Timestamp.ToUniversalTime(),
            Total(Measurand.PowerActiveImport) ?? Sum(Phases(Measurand.PowerActiveImport)),
            Total(Measurand.EnergyActiveImportRegister) ?? Sum(Phases(Measurand.EnergyActiveImportRegister)),
            // Quirk 8: the box's overall Current.Import can freeze while the phases stay right, so the
            // phases win. The highest phase is what a per-phase limit in A is compared with.
            Max(current) ?? Total(Measurand.CurrentImport),
            phaseCurrents,
            Total(Measurand.Voltage) ?? Average(Phases(Measurand.Voltage)));
    }

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

    /// <summary>L1-N counts as L1 etc.; line-to-line and neutral values are not used.</summary>
    private static Phase? Normalize(Phase? phase) => phase switch
    {
        null => null,
        Phase.L1 or Phase.L1N => Phase.L1,
        Phase.L2 or Phase.L2N => Phase.L2,
        Phase.L3 or Phase.L3N => Phase.L3,
        _ => Phase.N,
    };
}

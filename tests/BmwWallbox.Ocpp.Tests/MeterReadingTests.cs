using BmwWallbox.Ocpp.Messages;
using BmwWallbox.Ocpp.State;

namespace BmwWallbox.Ocpp.Tests;

public sealed class MeterReadingTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2025-03-01T10:00:00Z");

    private static MeterReading Read(params SampledValue[] samples) => MeterReading.Read(new MeterValue(At, samples));

    [Fact]
    public void A_bare_value_is_the_imported_energy_in_Wh()
    {
        var reading = Read(new SampledValue(1234.5));
        Assert.Equal(1234.5, reading.EnergyWh);
        Assert.Null(reading.PowerW);
    }

    [Theory]
    [InlineData(Measurand.EnergyActiveImportRegister, "kWh", 0, 12.5, 12_500)]
    [InlineData(Measurand.EnergyActiveImportRegister, "Wh", 3, 12.5, 12_500)]
    [InlineData(Measurand.PowerActiveImport, "kW", 0, 7.4, 7_400)]
    [InlineData(Measurand.PowerActiveImport, "W", -1, 74_000, 7_400)]
    [InlineData(Measurand.PowerActiveImport, null, 0, 7_400, 7_400)]
    public void Units_and_multipliers_are_applied(Measurand measurand, string? unit, int multiplier, double value, double expected)
    {
        var reading = Read(new SampledValue(value, Measurand: measurand, UnitOfMeasure: new UnitOfMeasure(unit, multiplier)));
        var actual = measurand == Measurand.PowerActiveImport ? reading.PowerW : reading.EnergyWh;
        Assert.Equal(expected, actual!.Value, 6);
    }

    [Fact]
    public void A_value_in_a_unit_that_does_not_fit_the_measurand_is_not_used()
    {
        var reading = Read(new SampledValue(5, Measurand: Measurand.PowerActiveImport, UnitOfMeasure: new UnitOfMeasure("Wh")));
        Assert.Null(reading.PowerW);
    }

    [Fact]
    public void Phase_currents_win_over_a_frozen_total_quirk_8()
    {
        var reading = Read(
            new SampledValue(16, Measurand: Measurand.CurrentImport), // frozen at the old value
            new SampledValue(9.8, Measurand: Measurand.CurrentImport, Phase: Phase.L1),
            new SampledValue(10.1, Measurand: Measurand.CurrentImport, Phase: Phase.L2),
            new SampledValue(9.9, Measurand: Measurand.CurrentImport, Phase: Phase.L3));

        Assert.Equal(10.1, reading.CurrentA);
        Assert.Equal(new Core.PhaseValues(9.8, 10.1, 9.9), reading.PhaseCurrentA);
    }

    [Fact]
    public void Without_phases_the_total_current_is_used()
    {
        var reading = Read(new SampledValue(6, Measurand: Measurand.CurrentImport, UnitOfMeasure: new UnitOfMeasure("A")));
        Assert.Equal(6, reading.CurrentA);
        Assert.Null(reading.PhaseCurrentA);
    }

    [Fact]
    public void Phase_power_is_summed_and_phase_to_neutral_voltage_averaged_when_no_total_is_sent()
    {
        var reading = Read(
            new SampledValue(2300, Measurand: Measurand.PowerActiveImport, Phase: Phase.L1N),
            new SampledValue(2310, Measurand: Measurand.PowerActiveImport, Phase: Phase.L2N),
            new SampledValue(229, Measurand: Measurand.Voltage, Phase: Phase.L1N),
            new SampledValue(231, Measurand: Measurand.Voltage, Phase: Phase.L2N),
            new SampledValue(400, Measurand: Measurand.Voltage, Phase: Phase.L1L2)); // line-to-line: not a phase voltage

        Assert.Equal(4610, reading.PowerW);
        Assert.Equal(230, reading.VoltageV);
    }
}

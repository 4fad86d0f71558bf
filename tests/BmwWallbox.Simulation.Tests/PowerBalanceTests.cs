namespace BmwWallbox.Simulation.Tests;

public class PowerBalanceTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void Car_partly_on_surplus_imports_the_rest()
    {
        // solar 5000, house 1000, car 7000 → grid = 1000 + 7000 − 5000 = 3000 W import; surplus 4000 W.
        // 15 min = 0.25 h: car 7000·0.25 = 1.75 kWh, of it solar 4000·0.25 = 1.0 kWh, import 3000·0.25 = 0.75 kWh.
        // cost 0.75 kWh × 0.30 = 0.225; the car caused (7000 − 4000)·0.25 = 0.75 kWh of it → 0.225.
        var power = new PowerBalance(SolarW: 5000, HouseW: 1000, CarW: 7000);

        var energy = power.Over(TimeSpan.FromMinutes(15), 0.30);

        Assert.Equal(3000, power.GridW);
        Assert.Equal(1.75, energy.CarKwh, Tolerance);
        Assert.Equal(1.0, energy.CarFromSolarKwh, Tolerance);
        Assert.Equal(0.75, energy.ImportKwh, Tolerance);
        Assert.Equal(0, energy.ExportKwh, Tolerance);
        Assert.Equal(0.225, energy.ImportCost!.Value, Tolerance);
        Assert.Equal(0.225, energy.CarCost!.Value, Tolerance);
    }

    [Fact]
    public void Car_fully_on_surplus_exports_the_rest_without_a_price()
    {
        // solar 6000, house 500, car 6 A × 3 × 230 V = 4140 → grid = 500 + 4140 − 6000 = −1360 W (export).
        // 30 min: car 2.07 kWh, all from solar; export 0.68 kWh; no price → no cost.
        var power = new PowerBalance(6000, 500, 4140);

        var energy = power.Over(TimeSpan.FromMinutes(30), null);

        Assert.Equal(-1360, power.GridW);
        Assert.Equal(1360, power.ExportW);
        Assert.Equal(0, power.ImportW);
        Assert.Equal(2.07, energy.CarKwh, Tolerance);
        Assert.Equal(2.07, energy.CarFromSolarKwh, Tolerance);
        Assert.Equal(0.68, energy.ExportKwh, Tolerance);
        Assert.Equal(0, energy.ImportKwh, Tolerance);
        Assert.Null(energy.ImportCost);
        Assert.Null(energy.CarCost);
    }

    [Fact]
    public void Night_charging_is_all_import()
    {
        // solar 0, house 400, car 16 A × 3 × 230 = 11040 → import 11440 W for 1 h = 11.44 kWh × 0.25 = 2.86;
        // the car's share 11.04 kWh × 0.25 = 2.76.
        var energy = new PowerBalance(0, 400, 11040).Over(TimeSpan.FromHours(1), 0.25);

        Assert.Equal(11.04, energy.CarKwh, Tolerance);
        Assert.Equal(0, energy.CarFromSolarKwh, Tolerance);
        Assert.Equal(11.44, energy.ImportKwh, Tolerance);
        Assert.Equal(2.86, energy.ImportCost!.Value, Tolerance);
        Assert.Equal(2.76, energy.CarCost!.Value, Tolerance);
    }
}

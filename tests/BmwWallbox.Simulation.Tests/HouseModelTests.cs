namespace BmwWallbox.Simulation.Tests;

public class HouseModelTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    private static (HouseModel House, List<SignalSample> Samples) Load(string csv)
    {
        using var reader = new SignalCsvReader(new StringReader(csv), "test.csv", Utc);
        return (new HouseModel(reader.Columns), reader.ReadSamples().ToList());
    }

    [Fact]
    public void Grid_is_house_plus_car_minus_solar()
    {
        var (house, samples) = Load("timestamp,solar_power,house_power,price\n2026-06-21T12:00:00Z,5000,1000,0.3\n");
        house.Update(samples[0]);

        var balance = house.Balance(carW: 7000);

        Assert.Equal(HouseLoadSource.Recorded, house.LoadSource);
        Assert.Equal(3000, balance.GridW);
        Assert.Equal(0.3, house.Price);
    }

    [Fact]
    public void Without_a_house_column_the_load_is_derived_from_grid_and_solar()
    {
        // Recorded without a car: house = grid + solar = −2000 + 3000 = 1000 W.
        // With the simulated car at 2000 W: grid = 1000 + 2000 − 3000 = 0.
        var (house, samples) = Load("timestamp,solar_power,grid_power\n2026-06-21T12:00:00Z,3000,-2000\n2026-06-21T12:01:00Z,3000,-4000\n");

        house.Update(samples[0]);
        Assert.Equal(HouseLoadSource.DerivedFromGrid, house.LoadSource);
        Assert.Equal(1000, house.HouseW);
        Assert.Equal(0, house.Balance(2000).GridW);

        // Grid and solar meters are not perfectly in step: a negative load is taken as 0.
        house.Update(samples[1]);
        Assert.Equal(0, house.HouseW);
    }

    [Fact]
    public void Empty_cells_keep_the_previous_value()
    {
        var (house, samples) = Load("timestamp,solar_power,house_power,price\n2026-06-21T12:00:00Z,5000,400,0.3\n2026-06-21T12:05:00Z,,600,\n");

        house.Update(samples[0]);
        house.Update(samples[1]);

        Assert.Equal(5000, house.SolarW);
        Assert.Equal(600, house.HouseW);
        Assert.Equal(0.3, house.Price);
    }

    [Fact]
    public void Missing_columns_count_as_nothing_and_the_price_as_unknown()
    {
        var (house, samples) = Load("timestamp,temperature\n2026-06-21T12:00:00Z,21\n");
        house.Update(samples[0]);

        Assert.Equal(HouseLoadSource.None, house.LoadSource);
        Assert.False(house.HasSolar);
        Assert.False(house.HasPrice);
        Assert.Null(house.Price);
        Assert.Equal(new PowerBalance(0, 0, 1500), house.Balance(1500));
    }

    [Fact]
    public void Column_names_can_be_configured()
    {
        using var reader = new SignalCsvReader(new StringReader("timestamp,pv,load\n2026-06-21T12:00:00Z,2000,300\n"), "test.csv", Utc);
        var house = new HouseModel(reader.Columns, new HouseSignals { Solar = "pv", House = "load" });
        house.Update(reader.ReadSamples().Single());

        Assert.Equal(new PowerBalance(2000, 300, 0), house.Balance(0));
    }
}

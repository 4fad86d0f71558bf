namespace BmwWallbox.Simulation.Tests;

public class CarModelTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly WallboxHardwareOptions ThreePhase16A = new();

    private static DateTimeOffset Local(int day, int hour, int minute = 0) => new(2026, 6, day, hour, minute, 0, TimeSpan.FromHours(2));

    [Fact]
    public void Plugged_in_from_plug_in_until_departure_every_day()
    {
        var car = new CarModel(new CarOptions { PlugIn = new(8, 0), Departure = new(17, 0) }, ThreePhase16A, Berlin);

        Assert.False(car.IsPluggedIn(Local(21, 7, 59)));
        Assert.True(car.IsPluggedIn(Local(21, 8)));
        Assert.True(car.IsPluggedIn(Local(21, 16, 59)));
        Assert.False(car.IsPluggedIn(Local(21, 17)));
        Assert.True(car.IsPluggedIn(Local(22, 12)));
    }

    [Fact]
    public void An_earlier_departure_means_overnight()
    {
        var car = new CarModel(new CarOptions { PlugIn = new(18, 0), Departure = new(7, 0) }, ThreePhase16A, Berlin);

        Assert.True(car.IsPluggedIn(Local(21, 2)));
        Assert.True(car.IsPluggedIn(Local(21, 23)));
        Assert.False(car.IsPluggedIn(Local(21, 12)));
    }

    [Theory]
    [InlineData(8, 8, 80, 3, "--plug-in and --departure must differ")]
    [InlineData(8, 17, 0, 3, "--battery must be > 0 kWh")]
    [InlineData(8, 17, 80, 4, "--car-phases must be 1, 2 or 3")]
    public void Nonsense_options_are_named(int plugIn, int departure, double battery, int phases, string message)
    {
        var options = new CarOptions { PlugIn = new(plugIn, 0), Departure = new(departure, 0), BatteryKwh = battery, Phases = phases };

        var e = Assert.Throws<ArgumentException>(() => new CarModel(options, ThreePhase16A, Berlin));

        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Nonsense_wallbox_options_are_named()
    {
        var e = Assert.Throws<ArgumentException>(() => new CarModel(new CarOptions(), new WallboxHardwareOptions { Phases = 2 }, Berlin));

        Assert.Contains("--phases must be 1 or 3", e.Message);
    }
}

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

    [Fact]
    public void Draws_the_offered_current_and_fills_the_battery()
    {
        // 16 A × 3 × 230 V = 11040 W for 1 h = 11.04 kWh; 90 % of it = 9.936 kWh of 80 kWh = 12.42 % → 20 + 12.42.
        var car = new CarModel(new CarOptions(), ThreePhase16A, Berlin);

        var step = car.Step(Local(21, 9), TimeSpan.FromHours(1), offeredA: 32);

        Assert.True(step.PluggedIn);
        Assert.Equal(16, step.CurrentA);
        Assert.Equal(11040, step.PowerW, 1e-9);
        Assert.Equal(32.42, step.SocPercent, 1e-9);
    }

    [Fact]
    public void Does_not_charge_below_6_A_nor_when_unplugged()
    {
        var car = new CarModel(new CarOptions(), ThreePhase16A, Berlin);

        Assert.Equal(0, car.Step(Local(21, 9), TimeSpan.FromMinutes(1), 5.9).PowerW);
        var unplugged = car.Step(Local(21, 20), TimeSpan.FromMinutes(1), 16);
        Assert.False(unplugged.PluggedIn);
        Assert.Equal(0, unplugged.PowerW);
    }

    [Fact]
    public void A_single_phase_car_uses_one_phase()
    {
        var car = new CarModel(new CarOptions { Phases = 1 }, ThreePhase16A, Berlin);

        Assert.Equal(16 * 230, car.Step(Local(21, 9), TimeSpan.FromMinutes(1), 16).PowerW, 1e-9);
    }

    [Fact]
    public void Stops_at_the_target_within_a_step_and_reports_the_average_draw()
    {
        // From 95 % to 100 % of 80 kWh = 4 kWh into the battery = 4 / 0.9 = 4.444 kWh drawn, in a 1 h step → 4444.4 W on average.
        var car = new CarModel(new CarOptions { StartSoc = 95 }, ThreePhase16A, Berlin);

        var step = car.Step(Local(21, 9), TimeSpan.FromHours(1), 16);
        var next = car.Step(Local(21, 10), TimeSpan.FromHours(1), 16);

        Assert.Equal(4000 / 0.9, step.PowerW, 1e-6);
        Assert.Equal(100, step.SocPercent);
        Assert.Equal(0, next.PowerW);
    }

    [Fact]
    public void Each_plug_in_starts_again_from_the_start_soc()
    {
        var car = new CarModel(new CarOptions(), ThreePhase16A, Berlin);
        car.Step(Local(21, 9), TimeSpan.FromHours(2), 16);
        Assert.True(car.SocPercent > 40);

        car.Step(Local(21, 20), TimeSpan.FromHours(1), 16);
        var nextDay = car.Step(Local(22, 8), TimeSpan.Zero, 16);

        Assert.Equal(20, nextDay.SocPercent);
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

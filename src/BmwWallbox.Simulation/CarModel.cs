namespace BmwWallbox.Simulation;

/// <summary>
/// When the simulated car is plugged in: it arrives and leaves at the same local times every day. What it
/// draws while plugged in is the simulated box's car (<c>SimulatedCar</c>), the one source of its power and
/// state of charge.
/// </summary>
public sealed class CarModel
{
    /// <summary>Below this offered current a car does not charge (IEC 61851-1).</summary>
    public const double MinChargeCurrent = 6;

    private readonly CarOptions _car;
    private readonly TimeZoneInfo _zone;
    private (DateTimeOffset From, DateTimeOffset Until, DateTimeOffset? Session) _known;

    public CarModel(CarOptions car, WallboxHardwareOptions box, TimeZoneInfo zone)
    {
        car.Validate();
        box.Validate();
        _car = car;
        _zone = zone;
    }

    /// <summary>Whether the car is plugged in at <paramref name="at"/>.</summary>
    public bool IsPluggedIn(DateTimeOffset at) => SessionAt(at) is not null;

    /// <summary>The first instant after <paramref name="at"/> at which the car plugs in or leaves.</summary>
    public DateTimeOffset NextPlugChange(DateTimeOffset at)
    {
        SessionAt(at);
        return _known.Until;
    }

    /// <summary>The plug-in instant of the session running at <paramref name="at"/>, or null when unplugged.</summary>
    private DateTimeOffset? SessionAt(DateTimeOffset at)
    {
        // Plug state changes twice a day: remember until when the last answer holds (a year has 525,600 minutes).
        if (at >= _known.From && at < _known.Until) return _known.Session;
        var today = LocalTimes.DateOf(at, _zone);
        // The session running now began today or, for an overnight session, yesterday.
        foreach (var day in (ReadOnlySpan<DateOnly>)[today, today.AddDays(-1)])
        {
            var plugIn = PlugInOn(day);
            var departureDay = _car.Departure > _car.PlugIn ? day : day.AddDays(1);
            var departure = LocalTimes.ToInstant(departureDay.ToDateTime(_car.Departure), _zone);
            if (at >= plugIn && at < departure)
            {
                _known = (plugIn, departure, plugIn);
                return plugIn;
            }
        }
        var plugInToday = PlugInOn(today);
        _known = (at, at < plugInToday ? plugInToday : PlugInOn(today.AddDays(1)), null);
        return null;
    }

    private DateTimeOffset PlugInOn(DateOnly day) => LocalTimes.ToInstant(day.ToDateTime(_car.PlugIn), _zone);
}

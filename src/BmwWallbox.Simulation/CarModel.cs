namespace BmwWallbox.Simulation;

/// <summary>What the car did during one step.</summary>
public readonly record struct CarStep(bool PluggedIn, double CurrentA, double PowerW, double SocPercent);

/// <summary>
/// A car that plugs in and leaves at the same local times every day and draws what the wallbox
/// offers (up to its own maximum) until it reaches its target state of charge. Like a real car it
/// does not charge below 6 A (IEC 61851). No taper near full: charging stops at the target.
/// </summary>
public sealed class CarModel
{
    /// <summary>Below this offered current a car does not charge (IEC 61851-1).</summary>
    public const double MinChargeCurrent = 6;

    private readonly CarOptions _car;
    private readonly WallboxHardwareOptions _box;
    private readonly TimeZoneInfo _zone;
    private DateTimeOffset? _sessionStart;
    private (DateTimeOffset From, DateTimeOffset Until, DateTimeOffset? Session) _known;

    public CarModel(CarOptions car, WallboxHardwareOptions box, TimeZoneInfo zone)
    {
        car.Validate();
        box.Validate();
        _car = car;
        _box = box;
        _zone = zone;
        SocPercent = car.StartSoc;
    }

    public double SocPercent { get; private set; }

    /// <summary>Whether the car is plugged in at <paramref name="at"/>.</summary>
    public bool IsPluggedIn(DateTimeOffset at) => SessionAt(at) is not null;

    /// <summary>The first instant after <paramref name="at"/> at which the car plugs in or leaves.</summary>
    public DateTimeOffset NextPlugChange(DateTimeOffset at)
    {
        SessionAt(at);
        return _known.Until;
    }

    /// <summary>
    /// The car draws from <paramref name="at"/> for <paramref name="duration"/> with
    /// <paramref name="offeredA"/> per phase offered. Plug state is taken at the step's start;
    /// each new plug-in starts again from <see cref="CarOptions.StartSoc"/>.
    /// </summary>
    public CarStep Step(DateTimeOffset at, TimeSpan duration, double offeredA)
    {
        if (SessionAt(at) is not { } session) return new CarStep(false, 0, 0, SocPercent);
        if (session != _sessionStart)
        {
            _sessionStart = session;
            SocPercent = _car.StartSoc;
        }

        var amps = Math.Min(offeredA, Math.Min(_car.MaxCurrent, _box.MaxCurrent));
        if (amps < MinChargeCurrent || SocPercent >= _car.TargetSoc || duration <= TimeSpan.Zero)
            return new CarStep(true, 0, 0, SocPercent);

        var powerW = amps * _box.WattsPerAmp(_car.Phases);
        var toTargetKwh = (_car.TargetSoc - SocPercent) / 100 * _car.BatteryKwh / _car.ChargeEfficiency;
        var drawnKwh = powerW * duration.TotalHours / 1000;
        if (drawnKwh >= toTargetKwh)
        {
            // The target is reached during this step: report the step's average draw.
            powerW *= toTargetKwh / drawnKwh;
            amps *= toTargetKwh / drawnKwh;
            SocPercent = _car.TargetSoc;
        }
        else
        {
            SocPercent += drawnKwh * _car.ChargeEfficiency / _car.BatteryKwh * 100;
        }
        return new CarStep(true, amps, powerW, SocPercent);
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

using BmwWallbox.Core;

namespace BmwWallbox.History;

/// <summary>
/// The running totals of one open session, fed with time-stamped facts (meter readings, charging state,
/// the controller's limit and source, surplus and price). Energy comes only from the meter register
/// (differences of <c>Energy.Active.Import.Register</c>), never from counting events: readings may be
/// coalesced, replayed or repeated and the total stays right. Between two readings the car's power is
/// taken as constant (their energy over their time), and the surplus and price as the signals said.
/// </summary>
internal sealed class SessionAccount(string stationId, string stationName, string transactionId, DateTimeOffset startedAt, DateTimeOffset now)
{
    /// <summary>Readings closer than this give no meaningful average power for <see cref="MaxPowerW"/>.</summary>
    private static readonly TimeSpan ShortestPowerInterval = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, TimeSpan> _sources = new(StringComparer.Ordinal);
    private readonly List<Segment> _sinceReading = [];
    private double? _surplusW;
    private double? _price;
    private bool _charging;
    private bool _paused;
    private string? _source;
    private bool _sawPower;

    public long Id { get; set; }
    public string StationId { get; } = stationId;
    public string StationName { get; private set; } = stationName;
    /// <summary>The box's current id of the transaction (it may rename it, quirk 9).</summary>
    public string TransactionId { get; private set; } = transactionId;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public string? IdToken { get; private set; }
    public double? MeterStartWh { get; private set; }
    public double? MeterLastWh { get; private set; }
    public double EnergyWh { get; private set; }
    public double SolarWh { get; private set; }
    public double CostSum { get; private set; }
    public double MaxPowerW { get; private set; }
    public TimeSpan Charging { get; private set; }
    public TimeSpan Paused { get; private set; }
    /// <summary>How far the time-weighted totals reach.</summary>
    public DateTimeOffset Mark { get; private set; } = now > startedAt ? now : startedAt;

    /// <summary>An account continued from its stored record (after a restart the same transaction went on).</summary>
    public static SessionAccount Resume(ChargingSession s, DateTimeOffset now)
    {
        var last = s.UpdatedAt ?? s.EndedAt ?? s.StartedAt;
        var account = new SessionAccount(s.StationId, s.StationName, s.TransactionId ?? "", s.StartedAt, last)
        {
            Id = s.Id,
            IdToken = s.IdToken,
            MeterStartWh = s.MeterStartWh,
            MeterLastWh = s.MeterStopWh,
            EnergyWh = s.EnergyKWh * 1000,
            SolarWh = (s.SolarKWh ?? 0) * 1000,
            CostSum = s.Cost ?? 0,
            MaxPowerW = s.MaxPowerW,
            Charging = s.ChargingTime,
            Paused = s.PausedTime,
        };
        foreach (var source in s.LimitSources) account._sources[source.Source] = source.Duration;
        // The time we were down is neither charging nor paused, and its energy (found at the next
        // reading) counts as grid energy at the price then: we saw no surplus during it.
        account.Mark = now > last ? now : last;
        return account;
    }

    public void Rename(string name) => StationName = name;

    public void RenameTransaction(string id) => TransactionId = id;

    public void SetIdToken(string? token)
    {
        if (token is not null) IdToken = token;
    }

    /// <summary>Charging (power flows) or not; returns true when it changed.</summary>
    public bool SetCharging(DateTimeOffset at, bool charging)
    {
        Advance(at);
        if (_charging == charging) return false;
        _charging = charging;
        return true;
    }

    /// <summary>The controller's state; returns true when paused or the limit source changed.</summary>
    public bool SetControl(DateTimeOffset at, bool paused, string source)
    {
        Advance(at);
        if (_paused == paused && _source == source) return false;
        _paused = paused;
        _source = source;
        return true;
    }

    public void SetSurplus(DateTimeOffset at, double? watts)
    {
        Advance(at);
        _surplusW = watts;
    }

    public void SetPrice(DateTimeOffset at, double? perKWh)
    {
        Advance(at);
        _price = perKWh;
    }

    /// <summary>A meter reading: the register (Wh) and, where the box sent one, the power (W).</summary>
    public void Meter(DateTimeOffset at, double? registerWh, double? powerW, Valuation valuation)
    {
        Advance(at);
        if (powerW is { } p && double.IsFinite(p))
        {
            _sawPower = true;
            MaxPowerW = Math.Max(MaxPowerW, p);
        }
        if (registerWh is not { } register || !double.IsFinite(register)) return;
        if (MeterStartWh is null || MeterLastWh is not { } last)
        {
            MeterStartWh ??= register;
            MeterLastWh = register;
            _sinceReading.Clear();
            return;
        }
        var delta = register - last;
        MeterLastWh = register;
        if (delta <= 0)
        {
            // A lower register is a reset of the meter (a replaced or rebooted box): a new base, no energy.
            if (delta < 0) _sinceReading.Clear();
            return;
        }
        Allocate(delta, valuation);
        _sinceReading.Clear();
    }

    /// <summary>Spreads <paramref name="deltaWh"/> over the time since the last reading at constant power.</summary>
    private void Allocate(double deltaWh, Valuation valuation)
    {
        EnergyWh += deltaWh;
        var total = _sinceReading.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);
        if (total <= TimeSpan.Zero)
        {
            // Two registers at the same instant: no time to spread over, value it at the present conditions.
            Value(deltaWh, _surplusW is > 0 ? deltaWh : 0, _price, valuation);
            return;
        }
        var powerW = deltaWh / total.TotalHours;
        if (!_sawPower && total >= ShortestPowerInterval) MaxPowerW = Math.Max(MaxPowerW, powerW);
        foreach (var segment in _sinceReading)
        {
            var energy = powerW * segment.Duration.TotalHours;
            var solar = Math.Min(powerW, Math.Max(segment.SurplusW ?? 0, 0)) * segment.Duration.TotalHours;
            Value(energy, solar, segment.Price, valuation);
        }
    }

    private void Value(double energyWh, double solarWh, double? price, Valuation valuation)
    {
        if (valuation.SolarKnown) SolarWh += solarWh;
        else solarWh = 0;
        if ((price ?? valuation.FixedPrice) is { } grid) CostSum += (energyWh - solarWh) / 1000 * grid;
        CostSum += solarWh / 1000 * valuation.SolarPrice;
    }

    /// <summary>Adds the time since <see cref="Mark"/> to the totals of the conditions that held during it.</summary>
    public void Advance(DateTimeOffset at)
    {
        if (at <= Mark) return;
        var elapsed = at - Mark;
        Mark = at;
        if (_charging) Charging += elapsed;
        if (_paused) Paused += elapsed;
        if (_source is not null) _sources[_source] = _sources.GetValueOrDefault(_source) + elapsed;
        if (MeterLastWh is not null) _sinceReading.Add(new Segment(elapsed, _surplusW, _price));
    }

    /// <summary>The session as the history shows it.</summary>
    public ChargingSession Snapshot(Valuation valuation, DateTimeOffset? endedAt = null, string? endReason = null) => new()
    {
        Id = Id,
        StationId = StationId,
        StationName = StationName,
        StartedAt = StartedAt,
        EndedAt = endedAt,
        EndReason = endReason,
        UpdatedAt = Mark,
        TransactionId = TransactionId,
        IdToken = IdToken,
        MeterStartWh = MeterStartWh,
        MeterStopWh = MeterLastWh,
        EnergyKWh = EnergyWh / 1000,
        MaxPowerW = MaxPowerW,
        AvgPowerW = Charging > TimeSpan.Zero ? EnergyWh / Charging.TotalHours : 0,
        ChargingTime = Charging,
        PausedTime = Paused,
        SolarKWh = valuation.SolarKnown ? SolarWh / 1000 : null,
        GridKWh = valuation.SolarKnown ? Math.Max(EnergyWh - SolarWh, 0) / 1000 : null,
        SolarShare = valuation.SolarKnown && EnergyWh > 0 ? Math.Clamp(SolarWh / EnergyWh, 0, 1) : null,
        Cost = valuation.Costed ? CostSum : null,
        Currency = valuation.Costed ? valuation.Currency : null,
        LimitSources = _sources.OrderByDescending(s => s.Value).Select(s => new LimitSourceTime(s.Key, s.Value)).ToList(),
    };

    private sealed record Segment(TimeSpan Duration, double? SurplusW, double? Price);
}

/// <summary>How energy is valued, from <see cref="HistoryOptions"/>.</summary>
internal sealed record Valuation(bool SolarKnown, bool Costed, double? FixedPrice, double SolarPrice, string Currency)
{
    public static Valuation From(HistoryOptions o) => new(
        o.SurplusSignal.Length > 0,
        o.PriceSignal.Length > 0 || o.FixedPrice is not null,
        o.FixedPrice,
        o.SolarPrice,
        o.Currency);
}

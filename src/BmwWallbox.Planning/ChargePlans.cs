using System.Globalization;
using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Planning;

/// <summary>
/// The planner per station, behind the <c>plan</c> mode (<see cref="IChargePlans"/>) and the targets people
/// and rules set (<see cref="IPlanTargets"/>). It reads the forecasts from MQTT, counts the energy charged in
/// the current session from the meter, plans with <see cref="ChargePlanner"/> and publishes each plan retained
/// on <c>&lt;base&gt;/&lt;name&gt;/plan</c>. It re-plans when a target or forecast arrives, at plug-in, when the
/// deadline passes, and at a slot boundary when the car is behind the plan. <see cref="PlanChanged"/> is also
/// raised at every slot boundary, so the mode asks for the new step exactly then (virtual time works the same).
/// A target set at run time (or cleared) is kept in the data folder (<see cref="PlanStore"/>) and restored at the
/// next start; the config's standing target applies to a station only when nothing was set for it at run time.
/// </summary>
public sealed class ChargePlans : IChargePlans, IPlanTargets, IDisposable
{
    /// <summary>While charging, the plan is checked against the meter this often (besides every slot boundary).</summary>
    internal static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(15);
    private const double MinPowerFactor = 0.2;
    private readonly PlanOptions _options;
    private readonly IWallboxStates _states;
    private readonly TimeZoneInfo _zone;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    private readonly List<Station> _stations;
    // Every station event looks its station up: by id or name, the first station in the configuration
    // that has it, as a scan would find it but without a scan's cost growing with the site's size.
    private readonly Dictionary<string, Station> _byIdOrName = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _subscriptions = [];
    private readonly ITimer _timer;
    private readonly PlanStore _store;
    /// <summary>The targets set at run time by station name (null: cleared), as kept in plans.json.</summary>
    private readonly Dictionary<string, PlanTarget?> _setAtRunTime;
    private IReadOnlyList<ForecastSlot> _prices = [];
    private IReadOnlyList<ForecastSlot> _solar = [];
    // Given at Start: the bus and signals are the I/O's, made after the planner (the MQTT bridge takes the planner's targets).
    private IMessageBus _bus = new InMemoryMessageBus();
    private ISignals _signals = new SignalStore([], TimeProvider.System);
    private bool _started;

    /// <param name="dataDirectory">Where the targets set at run time are kept (plans.json); null: not kept.</param>
    public ChargePlans(PlanOptions options, IReadOnlyList<PlanStation> stations, IWallboxStates states,
        TimeZoneInfo zone, TimeProvider time, ILogger log, string? dataDirectory = null)
    {
        OptionProblems.ThrowIfAnyError(options.Problems());
        _options = options;
        _states = states;
        _zone = zone;
        _time = time;
        _log = log;
        _stations = stations.Select(s => new Station(s, options.Stations.GetValueOrDefault(s.Name))).ToList();
        foreach (var s in _stations)
        {
            s.Target = s.Options?.ToTarget();
            _byIdOrName.TryAdd(s.Info.Id, s);
            _byIdOrName.TryAdd(s.Info.Name, s);
        }
        _store = new PlanStore(dataDirectory, log);
        _setAtRunTime = new Dictionary<string, PlanTarget?>(StringComparer.Ordinal);
        foreach (var (name, target) in _store.Load())
        {
            if (_stations.FirstOrDefault(s => s.Info.Name == name) is not { } s) continue; // a station no longer configured
            if (target?.SocPercent is not null && !HasSoc(s))
            {
                _log.LogWarning("Plan for {Station}: ignoring the stored target {Target}: plan.stations.{Station}.soc_signal is no longer configured", name, target, name);
                continue;
            }
            _setAtRunTime[name] = target;
            s.Target = target;
            _log.LogInformation("Plan for {Station}: {Target} (set at run time, kept in {File})", name, target?.ToString() ?? "cleared", _store.FilePath);
        }
        _timer = time.CreateTimer(_ => OnTick(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <inheritdoc/>
    public event Action<string>? PlanChanged;

    /// <summary>Subscribes to the forecasts on <paramref name="bus"/> and to the stations' state, and plans the standing targets.</summary>
    /// <param name="signals">Where a soc target reads the car's state of charge.</param>
    public void Start(IMessageBus bus, ISignals signals)
    {
        if (_started) return;
        _started = true;
        _bus = bus;
        _signals = signals;
        if (_options.PriceForecastTopic.Length > 0)
            _subscriptions.Add(_bus.Subscribe(_options.PriceForecastTopic, (_, payload) => AcceptForecast(ForecastKind.Price, payload)));
        if (_options.SolarForecastTopic.Length > 0)
            _subscriptions.Add(_bus.Subscribe(_options.SolarForecastTopic, (_, payload) => AcceptForecast(ForecastKind.Solar, payload)));
        // The session and its meter reading matter, not heartbeats.
        _subscriptions.Add(_states.Subscribe(OnWallboxChanged, e => !e.IsHeartbeatOrReport));
        _signals.Changed += OnSignal;
        ReplanAll("start");
    }

    /// <summary>Stops listening (before the I/O stops); the last plans stay readable.</summary>
    public void Stop()
    {
        if (!_started) return;
        _started = false;
        _signals.Changed -= OnSignal;
        foreach (var s in _subscriptions) s.Dispose();
        _subscriptions.Clear();
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        Stop();
        _timer.Dispose();
    }

    /// <summary>The station's (id or name) current plan; null without a target.</summary>
    public ChargePlan? PlanOf(string station)
    {
        lock (_lock) return Find(station)?.Plan;
    }

    public PlanTarget? TargetOf(string station)
    {
        lock (_lock) return Find(station)?.Target;
    }

    public PlanStep? StepAt(string stationId, DateTimeOffset now)
    {
        Station? replanned = null;
        PlanStep? step;
        lock (_lock)
        {
            var s = Find(stationId);
            if (s?.Target is null) return null;
            if (Check(s, now)) replanned = s;
            step = s.Plan?.StepAt(now, WattsPerAmp(s)) is { } planned ? planned with { Amps = Math.Min(planned.Amps, s.Info.MaxCurrent) } : null;
        }
        if (replanned is not null) Published(replanned);
        return step;
    }

    public ActionResult SetTarget(string station, PlanTarget? target, string source)
    {
        const string action = "plan";
        if (target is not null && !PlanTargetText.Check(target, out var error)) return ActionResult.Rejected(action, error);
        Station? s;
        lock (_lock)
        {
            s = Find(station);
            if (s is null) return ActionResult.Rejected(action, $"Unknown station '{station}'");
            if (target?.SocPercent is not null && !HasSoc(s))
                return ActionResult.Rejected(action, $"A soc target needs plan.stations.{s.Info.Name}.soc_signal and battery_kwh in config.yaml; use energy_kwh");
            s.Target = target;
            _setAtRunTime[s.Info.Name] = target;
            _store.Save(_setAtRunTime);
            Replan(s, _time.GetUtcNow(), target is null ? $"cleared by {source}" : $"{target} set by {source}");
        }
        Published(s);
        return ActionResult.Accepted(action, target is null ? "plan cleared" : $"plan {target}: {s.Plan?.Summary}");
    }

    /// <summary>A forecast payload from MQTT: parsed, or refused with the reason logged and on every station's result topic.</summary>
    internal void AcceptForecast(ForecastKind kind, string payload)
    {
        var name = kind == ForecastKind.Price ? "price_forecast" : "solar_forecast";
        if (payload.Length == 0) return; // a retained forecast being cleared; the last one stays
        var parsed = ForecastParser.Parse(payload, kind, _zone);
        if (!parsed.Ok)
        {
            _log.LogWarning("Plan: ignoring the {Kind} forecast: {Error} (the previous forecast stays)", kind.ToString().ToLowerInvariant(), parsed.Error);
            foreach (var s in _stations) Publish(_bus.Topics.CommandResult(s.Info.Name), PlanJson.Result(name, false, parsed.Error!), retain: false);
            return;
        }
        var slots = parsed.Slots!;
        lock (_lock)
        {
            if (kind == ForecastKind.Price) _prices = slots;
            else _solar = slots;
        }
        var reason = $"{slots.Count} slots from {slots[0].Start.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} to {slots[^1].End.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}";
        _log.LogInformation("Plan: new {Kind} forecast, {Reason}", kind.ToString().ToLowerInvariant(), reason);
        foreach (var s in _stations) Publish(_bus.Topics.CommandResult(s.Info.Name), PlanJson.Result(name, true, reason), retain: false);
        ReplanAll($"new {name}");
    }

    private void ReplanAll(string why)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            foreach (var s in _stations) Replan(s, now, why);
        }
        Published(_stations);
    }

    private void OnWallboxChanged(WallboxEvent e)
    {
        var txId = e.State.HasActiveTransaction ? e.State.Transaction!.Id : null;
        Station? s;
        lock (_lock)
        {
            s = Find(e.State.StationId);
            if (s is null) return;
            var sessionChanged = txId != s.SessionId;
            Track(s, e.State);
            if (!sessionChanged || s.Target is null) return;
            Replan(s, _time.GetUtcNow(), txId is null ? "session ended" : "plugged in");
        }
        Published(s);
    }

    /// <summary>A new SoC reading (or the signal going stale) re-plans a soc target from the car's own figure.</summary>
    private void OnSignal(SignalReading reading)
    {
        var changed = new List<Station>();
        lock (_lock)
        {
            foreach (var s in _stations)
            {
                if (s.Target?.SocPercent is null || s.Options?.SocSignal != reading.Name) continue;
                var soc = reading.Available ? Math.Clamp(reading.Value!.Value, 0, 100) : (double?)null;
                if (soc == s.SocAtPlan) continue;
                Replan(s, _time.GetUtcNow(), soc is { } v ? $"SoC {v:0.#} %" : $"SoC signal '{reading.Name}' unavailable");
                changed.Add(s);
            }
        }
        Published(changed);
    }

    private void OnTick()
    {
        var now = _time.GetUtcNow();
        var due = new List<Station>();
        lock (_lock)
        {
            foreach (var s in _stations)
            {
                if (s.NextCheck is not { } at || at > now) continue;
                Check(s, now);
                due.Add(s);
            }
        }
        Published(due);
        ScheduleTimer();
    }

    /// <summary>At a slot boundary or the deadline: re-plans when the car fell behind or the deadline passed. Under the lock.</summary>
    private bool Check(Station s, DateTimeOffset now)
    {
        if (s.Plan is not { } plan || s.NextCheck is not { } at || now < at) return false;
        if (now >= plan.Deadline)
        {
            Replan(s, now, "deadline passed");
            return true;
        }
        s.NextCheck = NextCheck(plan, now);
        // The step changes at a slot boundary even without a re-plan; a check within a slot changes nothing by itself.
        s.Changed |= plan.Slots.Any(x => x.Start == at || x.End == at);
        // Compared at the meter's last reading: the energy since then is not known yet (the daemon polls every 10 s,
        // simulate reads the meter when the power changes), and counting it as missing made a car that keeps up
        // look behind, cut its power factor and charge at full power until the deadline.
        var readAt = s.MeterAt is { } m && m < now ? m : now;
        var expected = plan.PlannedKwhUntil(readAt);
        var actual = Delivered(s) - s.DeliveredAtPlan;
        var tolerance = Math.Max(0.2, expected * 0.05);
        if (s.SessionId is null || actual >= expected - tolerance) return true;
        // A car that draws, but less than asked (it limits itself, fewer phases, lower voltage), charges that
        // share from now on: plan with it, so the plan takes enough hours instead of falling behind again.
        if (expected >= 0.5 && _states.Get(s.Info.Id) is { PowerW: > 0 })
            s.PowerFactor = Math.Clamp(s.PowerFactor * actual / expected, MinPowerFactor, 1);
        Replan(s, now, $"behind the plan: {actual:0.##} of {expected:0.##} kWh charged since {plan.PlannedAt.ToString("HH:mm", CultureInfo.InvariantCulture)}"
            + (s.PowerFactor < 1 ? $"; the car takes {s.PowerFactor:P0} of the power asked" : ""));
        return true;
    }

    /// <summary>Plans the station anew from <paramref name="now"/>. Under the lock; publish with <see cref="Published"/> after it.</summary>
    private void Replan(Station s, DateTimeOffset now, string why)
    {
        s.Changed = true;
        if (_states.Get(s.Info.Id) is { } state) Track(s, state);
        if (s.Target is not { } target)
        {
            s.Plan = null;
            s.NextCheck = null;
            return;
        }
        var delivered = Delivered(s);
        var (needed, soc) = Needed(s, target, delivered);
        var request = new PlanRequest
        {
            Now = now,
            Deadline = LocalTimes.NextOccurrence(target.By, now, _zone),
            EnergyKwh = needed,
            MaxPowerW = s.Info.MaxCurrent * WattsPerAmp(s),
            MinPowerW = s.Info.MinCurrent * WattsPerAmp(s),
            Prices = _prices,
            Solar = _solar,
            SolarPrice = _options.SolarPrice,
            Currency = _options.Currency,
            Zone = _zone,
            ByText = target.By.ToString("HH:mm", CultureInfo.InvariantCulture),
        };
        s.Plan = ChargePlanner.Plan(request);
        s.Soc = soc;
        if (soc is { Percent: null } unknown) s.Plan = s.Plan with { Summary = $"{s.Plan.Summary} ({unknown.Note})" };
        s.DeliveredAtPlan = delivered;
        s.NextCheck = NextCheck(s.Plan, now);
        _log.LogInformation("Plan for {Station} ({Why}): {Target}, {Needed:0.##} kWh still needed: {Summary}; {Slots}",
            s.Info.Name, why, target, s.Plan.NeededKwh, s.Plan.Summary, Describe(s.Plan));
    }

    /// <summary>
    /// Energy still needed for the target: kWh minus this session's, or (target − SoC) % of the battery; for a soc
    /// target also the SoC it planned from (published with the plan). Under the lock.
    /// </summary>
    private (double Kwh, SocBasis? Soc) Needed(Station s, PlanTarget target, double delivered)
    {
        if (target.EnergyKwh is { } kwh) return (Math.Max(0, kwh - delivered), null);
        var battery = s.Options?.BatteryKwh ?? 0;
        var signal = s.Options?.SocSignal ?? "";
        var reading = _signals.IsKnown(signal) ? _signals.Get(signal) : null;
        // A stale SoC is no SoC (as everywhere): without a reading, plan for the whole way from empty; the car stops
        // by itself when it is full. The plan says so, so a missing SoC feed is seen, not silently paid for.
        var soc = reading is { Available: true } ? Math.Clamp(reading.Value!.Value, 0, 100) : (double?)null;
        var needed = Math.Max(0, (target.SocPercent!.Value - (soc ?? 0)) / 100 * battery);
        var note = soc is { } p
            ? $"SoC {p:0.#} % → {target.SocPercent:0.#} % of {battery:0.#} kWh"
            : $"no SoC reading from signal '{signal}'{(reading is { Stale: true } ? " (stale)" : "")}: planned from 0 %, {needed:0.#} kWh";
        return (needed, new SocBasis(signal, soc, battery, note));
    }

    /// <summary>The next slot boundary, the deadline, or while charging at most <see cref="CheckInterval"/> away: when the plan is checked next.</summary>
    private static DateTimeOffset NextCheck(ChargePlan plan, DateTimeOffset now)
    {
        var next = plan.NextChangeAfter(now) is { } change && change < plan.Deadline ? change : plan.Deadline;
        return plan.SlotAt(now) is not null && now + CheckInterval < next ? now + CheckInterval : next;
    }

    /// <summary>Watts the station's car takes per amp asked: voltage × phases, times what it was seen to take.</summary>
    private static double WattsPerAmp(Station s) => s.Info.WattsPerAmp * s.PowerFactor;

    private static double Delivered(Station s) => s.SessionId is not null && s.MeterWh is { } wh && s.SessionStartWh is { } start ? Math.Max(0, (wh - start) / 1000) : 0;

    /// <summary>Follows the session and its meter: the energy of a session counts from the first reading in it.</summary>
    private static void Track(Station s, WallboxState state)
    {
        var txId = state.HasActiveTransaction ? state.Transaction!.Id : null;
        if (txId != s.SessionId)
        {
            s.SessionId = txId;
            s.SessionStartWh = txId is null ? null : state.EnergyWh;
            s.PowerFactor = 1; // another session, maybe another car
        }
        s.SessionStartWh ??= s.SessionId is null ? null : state.EnergyWh;
        s.MeterWh = state.EnergyWh;
        s.MeterAt = state.MeterAt;
    }

    /// <summary>After a change (outside the lock): publish the plan, tell the mode, move the timer.</summary>
    private void Published(Station s) => Published([s]);

    /// <summary>Publishes the changed plans, then sets the timer once (it looks at every station: once per station was quadratic).</summary>
    private void Published(IEnumerable<Station> stations)
    {
        var any = false;
        foreach (var s in stations)
        {
            string payload;
            lock (_lock)
            {
                if (!s.Changed) continue;
                s.Changed = false;
                payload = s.Target is { } target && s.Plan is { } plan ? PlanJson.Write(target, plan, Delivered(s), s.Soc) : "";
                // Compared and enqueued under the lock, so two quick changes cannot overtake each other.
                if (payload != s.LastPublished)
                {
                    s.LastPublished = payload;
                    Publish(_bus.Topics.Station(s.Info.Name, "plan"), payload, retain: true);
                }
            }
            any = true;
            try { PlanChanged?.Invoke(s.Info.Id); }
            catch (Exception ex) { _log.LogError(ex, "Plan: a PlanChanged handler failed for {Station}", s.Info.Name); }
        }
        if (any) ScheduleTimer();
    }

    private void ScheduleTimer()
    {
        DateTimeOffset? next;
        lock (_lock) next = _stations.Where(s => s.NextCheck is not null).Select(s => s.NextCheck!.Value).DefaultIfEmpty().Min();
        if (next is not { } at || at == default) return;
        var due = at - _time.GetUtcNow();
        _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void Publish(string topic, string payload, bool retain)
    {
        _bus.PublishAsync(topic, payload, retain).ContinueWith(t => _log.LogWarning(t.Exception?.GetBaseException(), "Plan: publishing {Topic} failed", topic),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private static bool HasSoc(Station s) => (s.Options?.SocSignal ?? "").Length > 0;

    private Station? Find(string station) => _byIdOrName.GetValueOrDefault(station);

    private static string Describe(ChargePlan plan)
        => plan.Slots.Count == 0 ? "no charging planned"
            : string.Join(", ", plan.Slots.Select(s => $"{s.Start.ToString("HH:mm", CultureInfo.InvariantCulture)}–{s.End.ToString("HH:mm", CultureInfo.InvariantCulture)} {s.PowerW / 1000:0.0} kW"));

    private sealed class Station(PlanStation info, PlanTargetOptions? options)
    {
        public PlanStation Info { get; } = info;
        public PlanTargetOptions? Options { get; } = options;
        public PlanTarget? Target { get; set; }
        public ChargePlan? Plan { get; set; }
        public DateTimeOffset? NextCheck { get; set; }
        public string? SessionId { get; set; }
        public double? SessionStartWh { get; set; }
        public double? MeterWh { get; set; }
        /// <summary>When the box last reported its meter; null when unknown (then the meter counts as read now).</summary>
        public DateTimeOffset? MeterAt { get; set; }
        public double DeliveredAtPlan { get; set; }
        /// <summary>For a soc target, the SoC the current plan started from (null: none was available).</summary>
        public SocBasis? Soc { get; set; }
        public double? SocAtPlan => Soc?.Percent;
        /// <summary>The share of the asked power the car was seen to take in this session (1 until it falls behind).</summary>
        public double PowerFactor { get; set; } = 1;
        public bool Changed { get; set; }
        public string? LastPublished { get; set; }
    }
}

namespace BmwWallbox.Simulation;

/// <summary>Accumulates a <see cref="SimulationSummary"/> step by step, in time order.</summary>
public sealed class SimulationSummaryBuilder
{
    private readonly SortedDictionary<int, double> _hoursAtCurrent = [];
    private readonly SortedDictionary<string, int> _rulesFired = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, RuleErrors> _ruleErrors = new(StringComparer.Ordinal);
    private DateTimeOffset? _from;
    private DateTimeOffset _to;
    private int _steps;
    private double _pluggedInHours, _chargingHours;
    private double _chargedKwh, _fromSolarKwh, _importKwh, _exportKwh;
    private double? _importCost, _carCost;
    private int _stepsWithoutPrice;
    private int _pauses, _cycles, _phaseSwitches;
    /// <summary>The phases the car last drew on in the running session (0: not yet).</summary>
    private int _sessionPhases;
    /// <summary>The limit of the previous plugged-in step of the running session.</summary>
    private double? _sessionLimit;
    private bool _pausedInSession;
    private bool _wasPluggedIn;
    private int _sessions;
    private double? _socStart, _socEnd, _lastPluggedSoc, _minSocAtDeparture;

    public void Add(in SimulationStep step)
    {
        _from ??= step.Time;
        _to = step.Time + step.Duration;
        _steps++;

        var energy = step.Flows.Over(step.Duration, step.Price);
        _chargedKwh += energy.CarKwh;
        _fromSolarKwh += energy.CarFromSolarKwh;
        _importKwh += energy.ImportKwh;
        _exportKwh += energy.ExportKwh;
        if (step.Price is null) _stepsWithoutPrice++;
        else
        {
            _importCost = (_importCost ?? 0) + energy.ImportCost;
            _carCost = (_carCost ?? 0) + energy.CarCost;
        }

        if (step.SocPercent is { } soc)
        {
            _socStart ??= soc;
            _socEnd = soc;
        }
        if (step.PluggedIn) AddPluggedIn(step);
        else if (_wasPluggedIn) Unplugged();
    }

    public void RuleFired(string ruleId) =>
        _rulesFired[ruleId] = _rulesFired.GetValueOrDefault(ruleId) + 1;

    public void RuleFailed(string ruleId, DateTimeOffset at, string error) =>
        _ruleErrors[ruleId] = _ruleErrors.TryGetValue(ruleId, out var earlier) ? earlier with { Count = earlier.Count + 1 } : new RuleErrors(1, at, error);

    /// <summary>The summary so far; figures rounded to what is worth reading (Wh, 1/10000 of the currency, 1/10 s).</summary>
    public SimulationSummary Build() => new()
    {
        From = _from ?? default,
        To = _to,
        Steps = _steps,
        PluggedInHours = Hours(_pluggedInHours),
        ChargingHours = Hours(_chargingHours),
        ChargedKwh = Kwh(_chargedKwh),
        ChargedFromSolarKwh = Kwh(_fromSolarKwh),
        SolarShare = _chargedKwh > 0 ? Math.Round(_fromSolarKwh / _chargedKwh, 4) : null,
        ImportKwh = Kwh(_importKwh),
        ExportKwh = Kwh(_exportKwh),
        ImportCost = Money(_importCost),
        CarCost = Money(_carCost),
        StepsWithoutPrice = _importCost is null ? 0 : _stepsWithoutPrice,
        Pauses = _pauses,
        PauseResumeCycles = _cycles,
        PhaseSwitches = _phaseSwitches,
        HoursAtCurrent = new SortedDictionary<int, double>(_hoursAtCurrent.ToDictionary(h => h.Key, h => Hours(h.Value))),
        RulesFired = new SortedDictionary<string, int>(_rulesFired, StringComparer.Ordinal),
        RuleErrors = new SortedDictionary<string, RuleErrors>(_ruleErrors, StringComparer.Ordinal),
        Sessions = _sessions,
        SocStart = Soc(_socStart),
        SocEnd = Soc(_socEnd),
        MinSocAtDeparture = Soc(_minSocAtDeparture),
    };

    private static double Kwh(double kwh) => Math.Round(kwh, 3);
    private static double Hours(double hours) => Math.Round(hours, 5);
    private static double? Money(double? amount) => amount is { } a ? Math.Round(a, 4) : null;
    private static double? Soc(double? percent) => percent is { } p ? Math.Round(p, 1) : null;

    private void AddPluggedIn(in SimulationStep step)
    {
        if (!_wasPluggedIn) _sessions++;
        _wasPluggedIn = true;
        var hours = step.Duration.TotalHours;
        _pluggedInHours += hours;
        if (step.Power.CarW > 0) _chargingHours += hours;
        var amps = (int)Math.Round(step.LimitA, MidpointRounding.AwayFromZero);
        _hoursAtCurrent[amps] = _hoursAtCurrent.GetValueOrDefault(amps) + hours;
        _lastPluggedSoc = step.SocPercent ?? _lastPluggedSoc;
        if (step.ChargingPhases > 0)
        {
            if (_sessionPhases > 0 && step.ChargingPhases != _sessionPhases) _phaseSwitches++;
            _sessionPhases = step.ChargingPhases;
        }

        if (_sessionLimit is { } previous)
        {
            if (previous > 0 && step.LimitA == 0)
            {
                _pauses++;
                _pausedInSession = true;
            }
            else if (previous == 0 && step.LimitA > 0 && _pausedInSession)
            {
                _cycles++;
                _pausedInSession = false;
            }
        }
        _sessionLimit = step.LimitA;
    }

    private void Unplugged()
    {
        _wasPluggedIn = false;
        _sessionLimit = null;
        _pausedInSession = false;
        _sessionPhases = 0;
        if (_lastPluggedSoc is { } soc)
            _minSocAtDeparture = Math.Min(_minSocAtDeparture ?? soc, soc);
    }
}

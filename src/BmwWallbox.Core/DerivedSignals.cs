namespace BmwWallbox.Core;

/// <summary>A signal computed from others (config <c>signals.NAME.expr</c>).</summary>
public sealed record DerivedSignalDefinition(string Name, SignalExpression Expression);

/// <summary>
/// The configured signals plus the derived ones, as rules, scripts, traces, the charge modes and
/// <c>simulate</c> read them: a derived signal is a signal like any other. It has a value only when
/// every input has one, it is stale when any input is, and it changes whenever an input does.
/// Besides the configured signals an expression may read <see cref="ChargerPower"/>: the power the
/// stations draw now (W, all stations; 0 for a station that is offline or idle), so a grid meter
/// gives the surplus as <c>-grid_power + charger_power</c>.
/// </summary>
public sealed class DerivedSignals : ISignals, IDisposable
{
    /// <summary>The measured power of all stations together (W), readable in expressions.</summary>
    public const string ChargerPower = "charger_power";

    private readonly ISignals _inner;
    private readonly IWallboxStates _states;
    private readonly IDisposable _stations;
    private readonly Dictionary<string, DerivedSignalDefinition> _derived;
    private readonly string[] _names;

    public DerivedSignals(ISignals inner, IEnumerable<DerivedSignalDefinition> derived, IWallboxStates states)
    {
        _inner = inner;
        _states = states;
        _derived = derived.ToDictionary(d => d.Name, StringComparer.Ordinal);
        foreach (var d in _derived.Values)
        {
            foreach (var name in d.Expression.Names)
            {
                if (name != ChargerPower && !inner.IsKnown(name))
                    throw new ArgumentException($"Derived signal '{d.Name}' reads '{name}', which is not a configured signal");
            }
        }
        _names = inner.Names.Concat(_derived.Keys).Distinct(StringComparer.Ordinal).ToArray();
        _inner.Changed += OnInner;
        // Only the chargers' power (and whether they are connected) goes into a derived signal.
        _stations = _states.Subscribe(OnStation, ChargerPowerChanged);
    }

    public event Action<SignalReading>? Changed;

    public IReadOnlyCollection<string> Names => _names;

    public bool IsKnown(string name) => _derived.ContainsKey(name) || _inner.IsKnown(name);

    public SignalReading Get(string name) => _derived.TryGetValue(name, out var d) ? Compute(d) : _inner.Get(name);

    public void Dispose()
    {
        _inner.Changed -= OnInner;
        _stations.Dispose();
    }

    private SignalReading Compute(DerivedSignalDefinition d)
    {
        DateTimeOffset? updated = null;
        var stale = false;
        var value = d.Expression.Evaluate(name =>
        {
            if (name == ChargerPower) return _states.TotalPowerW;
            var input = _inner.Get(name);
            if (input.UpdatedAt is { } at && (updated is null || at > updated)) updated = at;
            stale |= input.Stale;
            return input.Available ? input.Value : null;
        });
        return new SignalReading(d.Name, stale ? null : value, updated, stale);
    }

    private void OnInner(SignalReading reading)
    {
        Changed?.Invoke(reading);
        foreach (var d in _derived.Values)
            if (d.Expression.Names.Contains(reading.Name)) Changed?.Invoke(Compute(d));
    }

    private static bool ChargerPowerChanged(WallboxEvent e)
        => e.Previous is not { } before || before.PowerW != e.State.PowerW || before.Connected != e.State.Connected;

    private void OnStation(WallboxEvent e)
    {
        foreach (var d in _derived.Values)
            if (d.Expression.Names.Contains(ChargerPower)) Changed?.Invoke(Compute(d));
    }
}

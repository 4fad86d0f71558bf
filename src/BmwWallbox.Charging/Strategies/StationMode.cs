using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Charging.Strategies;

/// <summary>
/// One station's charge mode at work: it runs the mode's strategy whenever the surplus, the station or
/// the mode changes (and when the strategy asks to look again), and holds the result as a Rule claim
/// under the source <c>mode &lt;mode&gt;</c> on the station's controller, so rule caps compose with it
/// (the minimum wins) and a person's Manual claim outranks it. The current follows the surplus at most
/// every <see cref="ModeOptions.Interval"/>; a pause or a start goes out at once (the controller's
/// envelope still paces raises and counts cycles on top). Evaluations run one at a time on its own worker.
/// </summary>
internal sealed class StationMode : IAsyncDisposable
{
    private readonly IChargeController _controller;
    private readonly ModeOptions _options;
    private readonly WallboxOptions _wallbox;
    private readonly ISignals _signals;
    private readonly IWallboxStates _states;
    private readonly IChargePlans? _plans;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SerialWork<Func<Task>> _work;
    private readonly ITimer _recheck;
    private IModeStrategy _strategy;
    private int _pokePending;
    private bool _wasPlugged;
    private string? _heldSource;
    private double? _heldAmps;
    private int? _heldPhases;
    private int _supportSeen; // the last PhaseSwitchingSupport seen on ControlChanged
    private DateTimeOffset _heldSince;

    public StationMode(IChargeController controller, ChargeMode mode, ModeOptions options, WallboxOptions wallbox, int phases,
        ISignals signals, IWallboxStates states, IChargePlans? plans, TimeProvider time, ILogger log)
    {
        _controller = controller;
        _options = options;
        _wallbox = wallbox;
        _signals = signals;
        _states = states;
        _plans = plans;
        _time = time;
        _log = log;
        Power = new PowerConversion(wallbox.Voltage, phases);
        SwitchingAllowed = options.PhaseSwitchingAllowed(phases);
        Mode = mode;
        _strategy = StrategyFor(mode);
        _work = new SerialWork<Func<Task>>(RunAsync);
        _recheck = time.CreateTimer(_ => Poke(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (SwitchingAllowed) controller.ControlChanged += OnControl;
    }

    /// <summary>Config lets this station switch phases (charging.phase_switching auto on a 3-phase installation); the box decides whether it can.</summary>
    public bool SwitchingAllowed { get; }

    /// <summary>The box answered whether it switches phases (or refused): decide again with what it can do.</summary>
    private void OnControl(ControlState control)
    {
        if (Interlocked.Exchange(ref _supportSeen, (int)control.PhaseSwitching) != (int)control.PhaseSwitching) Poke();
    }

    public string StationId => _controller.StationId;
    public string Name => _controller.Name;
    public ChargeMode Mode { get; private set; }
    public PowerConversion Power { get; }

    /// <summary>The surplus signal is configured: solar and minsolar can work.</summary>
    public bool HasSurplus => _signals.IsKnown(_options.Surplus);

    /// <summary>Why the mode holds no claim, or null when it does (solar without a surplus signal).</summary>
    public string? Inactive => ModeOptions.NeedsSurplus(Mode) && !HasSurplus
        ? $"mode {ChargeModeText.Of(Mode)} needs the surplus signal '{_options.Surplus}', which is not configured"
        : null;

    public static string SourceOf(ChargeMode mode) => "mode " + ChargeModeText.Of(mode);


    /// <summary>Look again soon (a signal or the station changed). Coalesced: many pokes, one evaluation.</summary>
    public void Poke()
    {
        if (Interlocked.Exchange(ref _pokePending, 1) == 1) return;
        _work.TryPost(() =>
        {
            Volatile.Write(ref _pokePending, 0);
            return EvaluateAsync(CancellationToken.None);
        });
    }

    /// <summary>Switch to <paramref name="mode"/> and claim for it at once.</summary>
    public Task SetModeAsync(ChargeMode mode, CancellationToken ct) => RunOnWorkerAsync(async () =>
    {
        if (mode == Mode) return;
        Mode = mode;
        _strategy = StrategyFor(mode);
        _strategy.Reset();
        await EvaluateAsync(ct);
    });

    /// <summary>
    /// Completes once nothing is queued or running, so everything queued before has run (tests and <c>simulate</c>
    /// wait for it at every virtual instant: the worker signals it as its queue runs dry, without a round trip of its own).
    /// </summary>
    public Task WhenIdleAsync() => _work.WhenIdleAsync();

    /// <summary>Nothing queued or running (simulate checks this at every virtual instant, so it is cheap).</summary>
    public bool IsIdle => _work.IsIdle;

    private async Task EvaluateAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var state = _states.Get(StationId);
        var plugged = state is not null && (state.Status == ConnectorStatus.Occupied || state.HasActiveTransaction);
        if (plugged && !_wasPlugged) _strategy.Reset(); // every session starts afresh, as in evcc
        _wasPlugged = plugged;

        if (Inactive is not null)
        {
            await ReleaseHeldAsync(ct);
            return;
        }
        double? surplus = null;
        if (HasSurplus && _signals.Get(_options.Surplus) is { Available: true } reading) surplus = reading.Value;

        var support = SwitchingAllowed ? _controller.Control.PhaseSwitching : PhaseSwitchingSupport.Unsupported;
        var decision = _strategy.Decide(new StrategyInput(now, surplus, plugged, support == PhaseSwitchingSupport.Supported));
        var amps = SafetyEnvelope.Round(decision.Amps);
        // While the box has not said whether it switches, the claim asks for the installation's phases: the controller asks the box.
        int? phases = support is PhaseSwitchingSupport.Supported or PhaseSwitchingSupport.Unknown ? decision.Phases ?? Power.Phases : null;
        var source = SourceOf(Mode);
        DateTimeOffset? next = decision.RecheckAt;

        var changed = source != _heldSource || amps != _heldAmps || phases != _heldPhases;
        // Following the surplus, the current changes at most once per interval; a pause, a start or a phase switch is not held back.
        var following = source == _heldSource && _heldAmps > 0 && amps > 0 && phases == _heldPhases;
        if (changed && following && now < _heldSince + _options.Interval)
        {
            var due = _heldSince + _options.Interval;
            next = next is { } n && n < due ? n : due;
            changed = false;
        }
        Arm(next, now);
        if (!changed) return;

        // The controller logs the outcome; a box that is offline gets the claim when it connects.
        await _controller.ClaimAsync(new ClaimRequest(source, amps, ClaimKind.Rule, Reason: decision.Reason, Phases: phases), ct);
        var previous = _heldSource;
        (_heldSource, _heldAmps, _heldPhases, _heldSince) = (source, amps, phases, now);
        if (previous is not null && previous != source) await _controller.ReleaseAsync(previous, ct);
    }

    private async Task ReleaseHeldAsync(CancellationToken ct)
    {
        Arm(null, _time.GetUtcNow());
        if (_heldSource is not { } held) return;
        (_heldSource, _heldAmps, _heldPhases) = (null, null, null);
        await _controller.ReleaseAsync(held, ct);
    }

    private void Arm(DateTimeOffset? at, DateTimeOffset now)
    {
        var due = at is { } a ? (a > now ? a - now : TimeSpan.Zero) : Timeout.InfiniteTimeSpan;
        _recheck.Change(due, Timeout.InfiniteTimeSpan);
    }

    private IModeStrategy StrategyFor(ChargeMode mode) => mode switch
    {
        ChargeMode.Off => new OffStrategy(),
        ChargeMode.Now => new NowStrategy(_wallbox.MaxCurrent),
        ChargeMode.MinSolar => new MinSolarStrategy(_options, _wallbox.MinCurrent, _wallbox.MaxCurrent, Power),
        ChargeMode.Solar => new SolarStrategy(_options, _wallbox.MinCurrent, _wallbox.MaxCurrent, Power),
        ChargeMode.Plan => new PlanStrategy(StationId, _plans),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    private async Task RunOnWorkerAsync(Func<Task> body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_work.TryPost(async () =>
            {
                try
                {
                    await body();
                    done.TrySetResult();
                }
                catch (Exception ex)
                {
                    done.TrySetException(ex);
                }
            }))
            throw new ObjectDisposedException(nameof(StationMode));
        await done.Task;
    }

    private async Task RunAsync(Func<Task> item)
    {
        try
        {
            await item();
        }
        catch (ObjectDisposedException)
        {
            // The controller stopped first (shutdown): nothing left to claim.
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "{Station}: charge mode {Mode} failed", Name, ChargeModeText.Of(Mode));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (SwitchingAllowed) _controller.ControlChanged -= OnControl;
        var drained = _work.CompleteAsync();
        await _recheck.DisposeAsync();
        await drained;
    }
}

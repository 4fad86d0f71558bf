using System.Globalization;
using System.Threading.Channels;
using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Loading;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Rules.Engine.Scripting;
using BmwWallbox.Rules.Engine.Tracing;
using BmwWallbox.Rules.Engine.Triggers;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Engine.Runtime;

/// <summary>
/// A level rule at run time. Re-evaluated on every signal and wallbox change of its station (and each
/// minute when it has time windows or JavaScript). It takes its claim once <c>while:</c> held for
/// <c>for.on</c>, and drops it once the release condition (<c>until:</c>, or <c>while:</c> being false)
/// held for <c>for.off</c>. Unavailable data changes nothing: the rule keeps what it has.
/// A computed limit (<see cref="ComputedLimit"/>) is re-computed on every change of its inputs while the claim
/// is held and claimed again when its value (rounded down to 0.1 A) changes; below the minimum current, or
/// while an input is unavailable, it claims 0 A (pause): never more current on missing data.
/// Claims and releases go out one at a time, in order, on the rule's own work queue.
/// </summary>
internal sealed class LevelRule : IActiveRule
{
    private enum Phase { Released, Arming, Holding, Disarming }

    private readonly RuleScope _scope;
    private readonly LevelRuleBody _body;
    private readonly ConditionEvaluator _conditions;
    private readonly HoldTimer _hold;
    private readonly Lock _lock = new();
    private readonly Channel<Func<Task>> _work = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _signals;
    private readonly bool _ticks;
    private readonly double? _inheritedAmps;
    private Task _loop = Task.CompletedTask;
    private ITimer? _tick;
    private Phase _phase;
    /// <summary>The amperes last claimed while holding (a computed limit changes while it is held).</summary>
    private double? _claimedAmps;
    private long _runs;
    private bool _stopped;

    public LevelRule(RuleScope scope, LevelRuleBody body, ScriptSandbox sandbox, double? inheritedAmps)
    {
        _scope = scope;
        _body = body;
        _conditions = new ConditionEvaluator(scope, sandbox);
        _hold = new HoldTimer(scope.Time);
        _inheritedAmps = inheritedAmps;
        var conditions = body.Until is null ? [body.While] : new[] { body.While, body.Until };
        _signals = conditions.SelectMany(RuleReferences.Signals).Select(s => s.Signal)
            .Concat(body.Computed?.Signals.Select(s => s.Signal) ?? []).ToHashSet(StringComparer.Ordinal);
        _ticks = conditions.Any(NeedsClock);
    }

    public RuleScope Scope => _scope;

    public double? HeldAmps
    {
        get { lock (_lock) return _phase is Phase.Holding or Phase.Disarming ? _claimedAmps ?? _body.Amps : null; }
    }

    public void Start()
    {
        _loop = Task.Run(ProcessAsync);
        lock (_lock)
        {
            // After a reload the controller still holds this rule's claim: carry on holding it.
            if (_inheritedAmps is { } amps)
            {
                _phase = Phase.Holding;
                _claimedAmps = amps;
                // A computed limit is re-computed by the first evaluation below.
                if (_body.Computed is null && amps != _body.Amps) Claim(NewTrace("limit changed by reload"));
            }
        }
        _scope.Signals.Changed += OnSignal;
        _scope.Wallboxes.Changed += OnWallbox;
        if (_ticks)
        {
            var now = _scope.Time.GetUtcNow();
            var toNextMinute = TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(now.Ticks % TimeSpan.TicksPerMinute);
            _tick = _scope.Time.CreateTimer(_ => Evaluate("clock", false), null, toNextMinute, TimeSpan.FromMinutes(1));
        }
        Evaluate("start", false);
    }

    public void FireStartup() { }

    private void OnSignal(SignalReading reading)
    {
        if (_signals.Contains(reading.Name) || _ticks) Evaluate($"signal {reading.Name}", false);
    }

    private void OnWallbox(WallboxEvent e)
    {
        if (e.State.StationId == _scope.Controller?.StationId) Evaluate($"wallbox {e.Kind}", false);
    }

    private void OnHeld(long generation)
    {
        lock (_lock)
        {
            if (!_hold.IsCurrent(generation)) return;
            Evaluate(_phase == Phase.Arming ? $"while held for {Durations.Format(_body.OnDelay)}" : $"release held for {Durations.Format(_body.OffDelay)}", true);
        }
    }

    private void Evaluate(string why, bool held)
    {
        lock (_lock)
        {
            if (_stopped) return;
            var trace = NewTrace(why);
            var trigger = TriggerFired.Of("level", why);
            var engage = _conditions.Evaluate(_body.While, 0, trace, trigger);
            var release = _body.Until is { } until ? _conditions.Evaluate(until, 0, trace, trigger) : engage.Not();
            var before = _runs;
            switch (_phase)
            {
                case Phase.Released when engage == Truth.True:
                    if (_body.OnDelay <= TimeSpan.Zero) Claim(trace);
                    else { _phase = Phase.Arming; _hold.Start(_body.OnDelay, OnHeld); }
                    break;
                case Phase.Arming when engage != Truth.True:
                    _hold.Cancel();
                    _phase = Phase.Released;
                    break;
                case Phase.Arming when held:
                    Claim(trace);
                    break;
                case Phase.Holding when release == Truth.True:
                    if (_body.OffDelay <= TimeSpan.Zero) Release(trace);
                    else { _phase = Phase.Disarming; _hold.Start(_body.OffDelay, OnHeld); }
                    break;
                case Phase.Disarming when release != Truth.True:
                    _hold.Cancel();
                    _phase = Phase.Holding;
                    break;
                case Phase.Disarming when held:
                    Release(trace);
                    break;
            }
            // Still holding and nothing sent in this evaluation: follow a computed limit's inputs.
            if (_body.Computed is not null && _runs == before && (_phase is Phase.Holding or Phase.Disarming) && Limit().Amps != _claimedAmps)
                Send(trace);
        }
    }

    private TraceBuilder NewTrace(string why) =>
        new(_scope.Id, 0, _scope.Time.GetUtcNow(), new TraceTrigger("level", why, new Dictionary<string, string?>()));

    /// <summary>Called under the lock.</summary>
    private void Claim(TraceBuilder trace)
    {
        _phase = Phase.Holding;
        _scope.Stats.Fired(_scope.Id, _scope.Time.GetUtcNow());
        Send(trace);
    }

    /// <summary>Claims the limit as it is now (fixed, or computed). Called under the lock; the phase stays as it is.</summary>
    private void Send(TraceBuilder trace)
    {
        trace.Run = ++_runs;
        var (amps, how) = Limit();
        _claimedAmps = amps;
        var what = (amps == 0 ? "claim pause (0 A)" : $"claim {amps.ToString(CultureInfo.InvariantCulture)} A") + (how is null ? "" : $" ({how})");
        var request = new ClaimRequest(_scope.Id, amps, ClaimKind.Rule, Reason: how is null ? _scope.Rule.Name : $"{_scope.Rule.Name}: {how}");
        Enqueue(trace, what, "claimed", c => c.ClaimAsync(request));
    }

    /// <summary>
    /// The limit to claim now and, for a computed one, how it came about: the expression's value rounded down
    /// to 0.1 A; 0 (pause) below the minimum current or while an input has no fresh value. Under the lock.
    /// </summary>
    private (double Amps, string? How) Limit()
    {
        if (_body.Computed is not { } computed) return (_body.Amps, null);
        var installation = _scope.Controller is { } c ? _scope.Modes?.InstallationOf(c.StationId) : null;
        var state = _scope.Wallbox;
        var missing = new List<string>();
        var value = computed.Expression.Evaluate(name =>
        {
            var v = name.StartsWith(LimitInputs.Prefix, StringComparison.Ordinal)
                ? LimitInputs.Read(name, installation, state)
                : _scope.Signals.IsKnown(name) && _scope.Signals.Get(name) is { Available: true } r ? r.Value : null;
            if (v is null && !missing.Contains(name)) missing.Add(name);
            return v;
        });
        var text = computed.Expression.Text.Trim();
        if (value is not { } amps)
            return (0, missing.Count > 0 ? $"{string.Join(", ", missing)} unavailable: pause" : $"{text} has no value (division by zero): pause");
        var shown = $"{text} = {amps.ToString("0.##", CultureInfo.InvariantCulture)} A";
        // Rounded down (a tiny margin for binary fractions like 7.3 = 7.2999…): never more than computed.
        var rounded = Math.Max(0, Math.Floor(amps * 10 + 1e-6) / 10);
        if (installation is { MinCurrent: var min } && rounded < min)
            return (0, $"{shown}, below min {min.ToString(CultureInfo.InvariantCulture)} A: pause");
        return (rounded, shown);
    }

    /// <summary>Called under the lock.</summary>
    private void Release(TraceBuilder trace)
    {
        _phase = Phase.Released;
        _claimedAmps = null;
        trace.Run = ++_runs;
        Enqueue(trace, "release claim", "released", c => c.ReleaseAsync(_scope.Id));
    }

    private void Enqueue(TraceBuilder trace, string what, string result, Func<IChargeController, Task<ActionResult>> action) =>
        Post(async () =>
        {
            try
            {
                var answer = _scope.Controller is { } controller
                    ? await action(controller)
                    : ActionResult.Rejected(what, "not done: no station is configured");
                trace.Action(what, _scope.Time.GetUtcNow(), answer.Outcome.ToString(), answer.Message);
            }
            catch (Exception e)
            {
                _scope.Logger.LogWarning(e, "Rule {Rule}: {Action} failed", _scope.Id, what);
                trace.Action(what, _scope.Time.GetUtcNow(), "Error", e.Message);
                trace.Fail($"{what} failed: {e.Message}");
            }
            await _scope.RecordAsync(trace, result, CancellationToken.None);
        });

    private async Task ProcessAsync()
    {
        await foreach (var work in _work.Reader.ReadAllAsync())
        {
            try { await work(); }
            finally { _scope.Busy.Done(); }
        }
    }

    public bool IsIdle => _scope.Busy.IsIdle;

    public Task WhenIdleAsync() => _scope.Busy.WhenIdleAsync();

    private void Post(Func<Task> work)
    {
        _scope.Busy.Add();
        if (!_work.Writer.TryWrite(work)) _scope.Busy.Done();
    }

    public async Task StopAsync()
    {
        lock (_lock)
        {
            _stopped = true;
            _hold.Dispose();
        }
        _scope.Signals.Changed -= OnSignal;
        _scope.Wallboxes.Changed -= OnWallbox;
        _tick?.Dispose();
        _work.Writer.TryComplete();
        await _loop;
    }

    private static bool NeedsClock(ConditionDefinition condition) => condition switch
    {
        TimeWindowCondition or ScriptCondition => true,
        AllCondition c => c.Items.Any(NeedsClock),
        AnyCondition c => c.Items.Any(NeedsClock),
        NotCondition c => NeedsClock(c.Inner),
        _ => false,
    };
}

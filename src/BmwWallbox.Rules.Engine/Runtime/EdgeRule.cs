using BmwWallbox.Rules.Engine.Loading;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Rules.Engine.Scripting;
using BmwWallbox.Rules.Engine.Tracing;
using BmwWallbox.Rules.Engine.Triggers;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Engine.Runtime;

/// <summary>
/// An edge rule at run time: its triggers feed one executor that applies <c>mode</c> — single ignores a
/// trigger while a run is going, restart cancels the run and starts anew, queued runs them one after another,
/// parallel runs them side by side (queued and parallel up to <c>max</c>).
/// </summary>
internal sealed class EdgeRule(RuleScope scope, EdgeRuleBody body, ScriptSandbox sandbox) : IActiveRule
{
    private readonly ConditionEvaluator _conditions = new(scope, sandbox);
    private readonly ActionRunner _actions = new(scope, sandbox);
    private readonly IReadOnlySet<string> _decisionSignals = RuleReferences.DecisionSignals(body);
    private readonly List<ITriggerSource> _sources = body.When.Select(t => TriggerSources.Create(t, scope)).OfType<ITriggerSource>().ToList();
    private readonly Lock _lock = new();
    private readonly List<RunningRun> _running = [];
    private readonly Queue<(TriggerFired Trigger, DateTimeOffset At)> _queue = new();
    private readonly CancellationTokenSource _stop = new();
    private long _runs;
    private bool _stopped;

    public RuleScope Scope => scope;
    public double? HeldAmps => null;

    /// <summary>No run is going or queued (a run counts until its trace is recorded).</summary>
    public bool IsIdle => scope.Busy.IsIdle;

    public Task WhenIdleAsync() => scope.Busy.WhenIdleAsync();

    public void Start()
    {
        foreach (var source in _sources) source.Start(Fire);
    }

    public void FireStartup()
    {
        if (body.When.Any(t => t is StartupTrigger)) Fire(TriggerFired.Of("startup", "startup"));
    }

    public void Fire(TriggerFired trigger)
    {
        lock (_lock)
        {
            if (_stopped) return;
            switch (body.Mode)
            {
                case RunMode.Single when _running.Count > 0:
                    scope.Logger.LogDebug("Rule {Rule}: {Trigger} ignored, a run is still going (mode single)", scope.Id, trigger.Description);
                    return;
                case RunMode.Restart:
                    foreach (var run in _running) run.Cancel.Cancel();
                    break;
                case RunMode.Queued when _running.Count > 0:
                    if (_queue.Count < body.MaxRuns) _queue.Enqueue((trigger, scope.Time.GetUtcNow()));
                    else scope.Logger.LogWarning("Rule {Rule}: {Trigger} dropped, {Max} runs already queued", scope.Id, trigger.Description, body.MaxRuns);
                    return;
                case RunMode.Parallel when _running.Count >= body.MaxRuns:
                    scope.Logger.LogWarning("Rule {Rule}: {Trigger} dropped, {Max} runs already going", scope.Id, trigger.Description, body.MaxRuns);
                    return;
            }
            StartRun(trigger, scope.Time.GetUtcNow());
        }
    }

    /// <summary>Called under the lock. A restarted run waits until the runs it cancelled have ended.</summary>
    private void StartRun(TriggerFired trigger, DateTimeOffset firedAt)
    {
        var before = body.Mode == RunMode.Restart ? _running.Select(r => r.Task).ToArray() : [];
        var run = new RunningRun(++_runs, CancellationTokenSource.CreateLinkedTokenSource(_stop.Token));
        _running.Add(run);
        scope.Busy.Add();
        run.Task = Task.Run(async () =>
        {
            try { await ExecuteAsync(run, trigger, firedAt, before); }
            finally { scope.Busy.Done(); }
        });
    }

    /// <summary>The trace goes out after the run left the executor, so whoever sees it may fire the rule again at once.</summary>
    private async Task ExecuteAsync(RunningRun run, TriggerFired trigger, DateTimeOffset firedAt, Task[] before)
    {
        (TraceBuilder Trace, string Result) outcome;
        try
        {
            await Task.WhenAll(before);
            outcome = await RunOnceAsync(run.Number, trigger, firedAt, run.Cancel.Token);
        }
        finally
        {
            lock (_lock)
            {
                _running.Remove(run);
                run.Cancel.Dispose();
                if (!_stopped && _queue.TryDequeue(out var next)) StartRun(next.Trigger, next.At);
            }
        }
        await scope.RecordAsync(outcome.Trace, outcome.Result, CancellationToken.None);
    }

    /// <summary>The trace starts when the trigger fired, which for a queued run is before it ran.</summary>
    private async Task<(TraceBuilder, string)> RunOnceAsync(long number, TriggerFired trigger, DateTimeOffset firedAt, CancellationToken ct)
    {
        scope.Stats.Fired(scope.Id, firedAt);
        var trace = new TraceBuilder(scope.Id, number, firedAt, trigger.ToTrace());
        try
        {
            var decidedOn = _decisionSignals.Where(s => scope.Signals.Get(s).Available).ToHashSet(StringComparer.Ordinal);
            var truth = _conditions.All(body.If, trace, trigger);
            if (truth != Truth.True) return (trace, truth == Truth.False ? "conditions not met" : "conditions unavailable");
            await _actions.RunAsync(body.Then, decidedOn, trace, trigger, ct);
            return (trace, "done");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return (trace, "cancelled");
        }
        catch (Exception e)
        {
            scope.Logger.LogError(e, "Rule {Rule} run {Run} failed", scope.Id, number);
            trace.Fail(e.Message);
            return (trace, "error");
        }
    }

    public async Task StopAsync()
    {
        Task[] running;
        lock (_lock)
        {
            _stopped = true;
            _queue.Clear();
            running = _running.Select(r => r.Task).ToArray();
        }
        foreach (var source in _sources) source.Dispose();
        await _stop.CancelAsync();
        await Task.WhenAll(running);
        _stop.Dispose();
    }

    private sealed class RunningRun(long number, CancellationTokenSource cancel)
    {
        public long Number { get; } = number;
        public CancellationTokenSource Cancel { get; } = cancel;
        public Task Task { get; set; } = Task.CompletedTask;
    }
}

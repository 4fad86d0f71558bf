using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Loading;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Rules.Engine.Runtime;
using BmwWallbox.Rules.Engine.Tracing;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Engine;

/// <summary>
/// The rules runtime: loads every <c>*.yaml</c> under <see cref="RulesOptions.Dir"/> (YAML → validated model →
/// compiled rules), runs them against signals, wallbox state, the clock and MQTT, and acts only through the
/// charge controllers. A changed rules folder is re-validated as a whole and swapped in; an invalid set is
/// reported and the running set stays. Every run leaves a trace (<see cref="Traces"/>, logged, and published
/// on the bus's <see cref="TopicLayout.RuleTrace"/>).
/// </summary>
public sealed class RuleRuntime : IAsyncDisposable
{
    private readonly RulesOptions _options;
    private readonly RuleServices _services;
    private readonly ILogger<RuleRuntime> _logger;
    private readonly RuleSwitches _switches;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private IReadOnlyList<IActiveRule> _active = [];
    private IReadOnlyList<RuleDefinition> _loaded = [];
    private int _loadedFiles;
    private DateTimeOffset _loadedAt;
    private DebouncedFileWatch? _watcher;
    private bool _disposed;

    /// <param name="options">rules: from config.yaml; <see cref="RulesOptions.Dir"/> already resolved against the config's folder.</param>
    /// <param name="plans">The planner behind the <c>plan</c> action; null: the action is refused ("no planner").</param>
    /// <param name="timeZone">config time_zone (default: the machine's local zone) for at:, cron:, time windows and scripts.</param>
    /// <param name="switchesFile">Where the rules switched off at run time are kept (<see cref="SetEnabledAsync"/>); null = in memory only.</param>
    public RuleRuntime(
        RulesOptions options,
        ISignals signals,
        IWallboxStates wallboxes,
        IChargeControllers controllers,
        IMessageBus bus,
        TimeZoneInfo? timeZone,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        string? switchesFile = null,
        IPlanTargets? plans = null,
        IChargeModes? modes = null,
        IOpenSessions? sessions = null)
    {
        _options = options;
        _logger = loggerFactory.CreateLogger<RuleRuntime>();
        _switches = new RuleSwitches(switchesFile, _logger);
        var traces = new TraceLog(options.TraceHistory, bus, _logger);
        traces.Recorded += t => TraceRecorded?.Invoke(t);
        _services = new RuleServices(signals, wallboxes, controllers, bus, time, timeZone ?? TimeZoneInfo.Local,
            loggerFactory, options.Scripts, new RuleStore(), traces, new RuleStatsBook(), plans, modes, sessions);
    }

    /// <summary>After every (re)load attempt, good or bad.</summary>
    public event Action<RuleLoadResult>? Reloaded;

    /// <summary>After every trace is stored and published.</summary>
    public event Action<RuleTrace>? TraceRecorded;

    /// <summary>The errors of the last load attempt; empty when it succeeded.</summary>
    public IReadOnlyList<Problem> LoadErrors { get; private set; } = [];

    /// <summary>Loads the rules, starts them, fires startup triggers and watches the folder for changes.</summary>
    public async Task<RuleLoadResult> StartAsync(CancellationToken ct)
    {
        if (!Directory.Exists(_options.Dir))
        {
            // No folder is no rules (validate warns likewise); the charge modes work without any. A folder that
            // disappears later is an error of the reload instead, and the running rules stay.
            _logger.LogWarning("Rules folder {Dir} does not exist: no rules run. Create it (or set rules.dir) and restart to use rules", _options.Dir);
            return new RuleLoadResult(true, 0, 0, []);
        }
        var result = await ReloadAsync(ct);
        // An editor's burst of writes is one reload.
        _watcher = new DebouncedFileWatch(_options.Dir, "*.yaml", _options.ReloadDebounce, () => _ = ReloadFromWatcherAsync(), _services.Time, includeSubdirectories: true);
        if (_watcher.Problem is { } problem)
            _logger.LogWarning("Cannot watch the rules folder {Dir} ({Problem}): a changed rule file is read only at the next start", _options.Dir, problem);
        _watcher.ChangeNoticed += () => ChangeNoticed?.Invoke();
        foreach (var rule in _active) rule.FireStartup();
        return result;
    }

    /// <summary>
    /// Stops watching, stops every rule and cancels running runs. Claims stay with the controller.
    /// A runtime is started and stopped once.
    /// </summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (_disposed) return;
        _watcher?.Dispose();
        _watcher = null;
        await _lifetime.CancelAsync();
        await _gate.WaitAsync(ct);
        try
        {
            foreach (var rule in _active) await rule.StopAsync();
            _active = [];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Re-reads and re-validates the whole folder. Valid: the new set replaces the old one (claims of rules
    /// that are gone or disabled are released; level rules that still exist keep their claim). Invalid: the
    /// errors are logged and returned, and the old set keeps running.
    /// </summary>
    public async Task<RuleLoadResult> ReloadAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var load = RuleSetLoader.Load(_options.Dir, _services.Signals.Names, StationNames());
            var result = load.Errors.Count > 0
                ? Rejected(load)
                : await SwapAsync(load, ct);
            Reloaded?.Invoke(result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The last runs of a rule (at most <see cref="RulesOptions.TraceHistory"/>), oldest first.</summary>
    public IReadOnlyList<RuleTrace> Traces(string ruleId) => _services.Traces.Get(ruleId);

    /// <summary>Every loaded rule (enabled or not) with its counters, in file order.</summary>
    public IReadOnlyList<RuleStats> Stats()
    {
        var held = _active.ToDictionary(r => r.Scope.Id, r => r.HeldAmps is not null);
        return _loaded.Select(r => _services.Stats.Snapshot(r, _loadedAt, held.GetValueOrDefault(r.Id)) with { SwitchedOff = _switches.IsOff(r.Id) }).ToList();
    }

    /// <summary>
    /// Switches a loaded rule on or off at run time (a person, from the dashboard), persisted across restarts and
    /// reloads. Off: the rule stops and its claim is released, as if its file said <c>enabled: false</c>. A rule
    /// its file disables cannot be switched on here: the file is the author's word.
    /// </summary>
    public async Task<ActionResult> SetEnabledAsync(string ruleId, bool enabled, CancellationToken ct = default)
    {
        var action = enabled ? "enable rule" : "disable rule";
        await _gate.WaitAsync(ct);
        try
        {
            var rule = _loaded.FirstOrDefault(r => r.Id == ruleId);
            if (rule is null) return ActionResult.Rejected(action, $"No loaded rule '{ruleId}'");
            if (enabled && !rule.Enabled)
                return ActionResult.Rejected(action, $"Rule '{ruleId}' is disabled in its file ({rule.Location.File}, enabled: false); change it there");
            if (!await _switches.SetAsync(ruleId, enabled, ct))
                return ActionResult.Accepted(action, $"Rule '{ruleId}' is already {(enabled ? "on" : "off")}");
            await SwapAsync(new RuleSetLoad(_loaded, [], _loadedFiles), ct);
            _logger.LogInformation("Rule {Rule} switched {State} at run time", ruleId, enabled ? "on" : "off");
            return ActionResult.Accepted(action, enabled ? $"Rule '{ruleId}' runs again" : $"Rule '{ruleId}' is off (its claim released) until switched on again");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// True when no rule has a claim, a release or a run queued or going (traces included). Signals, wallbox
    /// events and timers start work synchronously, so right after them this tells whether anything is pending.
    /// </summary>
    public bool IsIdle
    {
        get
        {
            var active = _active;
            for (var i = 0; i < active.Count; i++)
                if (!active[i].IsIdle) return false;
            return true;
        }
    }

    /// <summary>Completes once <see cref="IsIdle"/> holds (runs may start further runs, e.g. through MQTT).</summary>
    public async Task WhenIdleAsync(CancellationToken ct)
    {
        while (!IsIdle)
            foreach (var rule in _active) await rule.WhenIdleAsync().WaitAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        await StopAsync(CancellationToken.None);
        _disposed = true;
        _lifetime.Dispose();
    }

    /// <summary>For tests: the watcher noticed a change and armed its debounce timer.</summary>
    internal event Action? ChangeNoticed;

    private RuleLoadResult Rejected(RuleSetLoad load)
    {
        LoadErrors = load.Errors;
        foreach (var e in load.Errors)
            _logger.LogError("Rule file error at {File}:{Line}:{Column}: {Message}{Hint}", e.File, e.Line, e.Column, e.Message, e.Hint is null ? "" : $" ({e.Hint})");
        _logger.LogError("Rules not (re)loaded: {Count} error(s); {Running} rule(s) from before keep running", load.Errors.Count, _active.Count);
        return new RuleLoadResult(false, load.Rules.Count, load.Files, load.Errors);
    }

    private async Task<RuleLoadResult> SwapAsync(RuleSetLoad load, CancellationToken ct)
    {
        var old = _active;
        var held = old.ToDictionary(r => r.Scope.Id, r => r.HeldAmps);
        foreach (var rule in old) await rule.StopAsync();

        var next = load.Rules.Where(r => r.Enabled && !_switches.IsOff(r.Id)).ToList();
        foreach (var gone in old.Where(o => !next.Any(n => n.Id == o.Scope.Id && RuleCompiler.StationOf(n, _services.Controllers) == o.Scope.Controller)))
            await ReleaseAsync(gone, ct);

        var active = next.Select(r => RuleCompiler.Compile(r, _services, held.GetValueOrDefault(r.Id) is { } amps && r.Body is LevelRuleBody ? amps : null)).ToList();
        foreach (var rule in active) rule.Start();
        _active = active;
        _loaded = load.Rules;
        _loadedFiles = load.Files;
        _loadedAt = _services.Time.GetUtcNow();
        LoadErrors = [];
        _logger.LogInformation("Loaded {Rules} rule(s) ({Enabled} enabled) from {Files} file(s) in {Dir}", load.Rules.Count, active.Count, load.Files, _options.Dir);
        return new RuleLoadResult(true, load.Rules.Count, load.Files, []);
    }

    private async Task ReleaseAsync(IActiveRule rule, CancellationToken ct)
    {
        if (rule.Scope.Controller is not { } controller) return;
        try
        {
            var result = await controller.ReleaseAsync(rule.Scope.Id, ct);
            _logger.LogInformation("Rule {Rule} is gone or disabled: released its claim ({Result})", rule.Scope.Id, result);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Rule {Rule} is gone or disabled, but releasing its claim failed", rule.Scope.Id);
        }
    }

    private async Task ReloadFromWatcherAsync()
    {
        try
        {
            await ReloadAsync(_lifetime.Token);
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            _logger.LogError(e, "Reloading the rules failed");
        }
    }

    private List<string> StationNames() =>
        _services.Controllers.All.SelectMany(c => new[] { c.Name, c.StationId }).Distinct(StringComparer.Ordinal).ToList();
}

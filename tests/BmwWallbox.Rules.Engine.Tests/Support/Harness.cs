using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Tracing;
using BmwWallbox.TestKit.Logging;

namespace BmwWallbox.Rules.Engine.Tests.Support;

/// <summary>
/// A rules runtime on a temp folder, with real SignalStore and InMemoryMessageBus, a fake controller and
/// wallbox, and virtual time. Starts on Monday 2025-06-02 08:00 UTC (10:00 in Europe/Berlin).
/// </summary>
internal sealed class Harness : IAsyncDisposable
{
    public static readonly DateTimeOffset Monday0800Utc = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static readonly SignalDefinition[] DefaultSignals =
    [
        new("solar_power", TimeSpan.FromMinutes(5)),
        new("grid_power", TimeSpan.FromMinutes(5)),
        new("house_power"),
        new("price", TimeSpan.FromHours(2)),
    ];

    /// <summary>
    /// Script limits for a test that is not about the wall-clock budget (the default unless a test passes options):
    /// a busy machine must not stop its script. A test about the budget sets its own.
    /// </summary>
    public static readonly ScriptLimits RoomyScripts = new() { Timeout = TestTimeouts.Long };

    // A run ends at the latest when its script is stopped; its trace follows at once.
    private readonly TimeSpan _traceWait;

    public Harness(DateTimeOffset? start = null, RulesOptions? options = null, TimeZoneInfo? zone = null, IChargeModes? modes = null, IOpenSessions? sessions = null)
    {
        options ??= new RulesOptions { Scripts = RoomyScripts };
        _traceWait = options.Scripts.Timeout + TestTimeouts.Guard;
        Dir = Directory.CreateTempSubdirectory("bmw-rules-test-").FullName;
        Clock = new ManualClock(start ?? Monday0800Utc);
        Timers = new TimerWatch(Clock);
        Signals = new SignalStore(DefaultSignals, Clock);
        Wallboxes = new FakeWallboxes(Clock, "cp-1/garage");
        Controller = new FakeController();
        Bus = new InMemoryMessageBus();
        Runtime = new RuleRuntime(options with { Dir = Dir }, Signals, Wallboxes, new FakeControllers(Controller), Bus,
            zone ?? Berlin, Clock, Logs, plans: Plans, modes: modes, sessions: sessions);
    }

    public string Dir { get; }
    public ManualClock Clock { get; }

    /// <summary>When the rules wait on <see cref="Clock"/> (a delay, a hold), so a test advances only then.</summary>
    public TimerWatch Timers { get; }
    public SignalStore Signals { get; }
    public FakeWallboxes Wallboxes { get; }
    public FakeController Controller { get; }
    public InMemoryMessageBus Bus { get; }
    /// <summary>The planner the plan action and wallbox.setPlan() reach.</summary>
    public RecordingPlans Plans { get; } = new();
    public RuleRuntime Runtime { get; }
    /// <summary>What the runtime logged (each run's one-line summary among it).</summary>
    public TestLogs Logs { get; } = new();

    public void Write(string file, string yaml) => File.WriteAllText(Path.Combine(Dir, file), yaml);

    /// <summary>Writes the rules and starts the runtime; fails the test if they do not load.</summary>
    public async Task StartAsync(string yaml)
    {
        Write("rules.yaml", yaml);
        var result = await Runtime.StartAsync(CancellationToken.None);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
    }

    /// <summary>A rule file holding one rule whose only action is <paramref name="body"/> as a script.</summary>
    public static string ScriptRule(string id, string body, string trigger = "[startup]") =>
        $"- id: {id}\n  when: {trigger}\n  then:\n    - script: |\n" + string.Join("\n", body.Split('\n').Select(l => "        " + l)) + "\n";

    /// <summary>Starts with one startup rule <c>js</c> that runs <paramref name="body"/>; returns its trace.</summary>
    public async Task<RuleTrace> RunScriptAsync(string body)
    {
        var trace = NextTrace("js");
        await StartAsync(ScriptRule("js", body));
        return await trace;
    }

    /// <summary>The next trace of <paramref name="ruleId"/>; call before causing it.</summary>
    public Task<RuleTrace> NextTrace(string ruleId, Func<RuleTrace, bool>? match = null)
    {
        var done = new TaskCompletionSource<RuleTrace>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnTrace(RuleTrace t)
        {
            if (t.RuleId != ruleId || !(match?.Invoke(t) ?? true)) return;
            Runtime.TraceRecorded -= OnTrace;
            done.TrySetResult(t);
        }
        Runtime.TraceRecorded += OnTrace;
        return done.Task.WaitAsync(_traceWait);
    }

    /// <summary>Collects the next <paramref name="count"/> traces of a rule.</summary>
    public Task<List<RuleTrace>> Traces(string ruleId, int count)
    {
        var list = new List<RuleTrace>();
        var done = new TaskCompletionSource<List<RuleTrace>>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnTrace(RuleTrace t)
        {
            if (t.RuleId != ruleId) return;
            lock (list)
            {
                list.Add(t);
                if (list.Count < count) return;
            }
            Runtime.TraceRecorded -= OnTrace;
            done.TrySetResult(list);
        }
        Runtime.TraceRecorded += OnTrace;
        return done.Task.WaitAsync(_traceWait);
    }

    public Task PublishAsync(string topic, string payload) => Bus.PublishAsync(topic, payload);

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        Signals.Dispose();
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
    }

}

using System.Text.RegularExpressions;
using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Rules.Engine.Runtime;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace BmwWallbox.Rules.Engine.Scripting;

/// <summary>
/// One sandboxed Jint engine with the rules API installed (wallbox, signals, mqtt, log; per run: now,
/// trigger, store). Strict mode, no CLR, no eval/Function, limits on time, statements, memory and recursion.
/// Host calls return promises; <see cref="RunAsync"/> drives them, so scripts <c>await</c> real answers
/// without any thread being blocked.
/// </summary>
internal sealed class ScriptEngine
{
    private readonly Jint.Engine _js;
    private readonly RuleScope _scope;
    private readonly JsValue _onFulfilled;
    private readonly JsValue _onRejected;
    private ScriptRun? _run;

    public ScriptEngine(RuleScope scope)
    {
        _scope = scope;
        var limits = scope.Limits;
        _js = new Jint.Engine(options =>
        {
            options.Strict()
                .DisableStringCompilation()
                .TimeoutInterval(limits.Timeout)
                .MaxStatements(limits.MaxStatements)
                .LimitMemory(limits.MaxMemoryBytes)
                .LimitRecursion(limits.MaxRecursion);
            // Probes the native stack in every function entry and in recursive built-ins (JSON.stringify, join,
            // String(array)): a script nesting too deep gets a RangeError instead of ending the process.
            options.Constraints.StackOverflowGuard = true;
            // A backtracking regular expression runs inside one statement, out of reach of the timeout above.
            options.Constraints.RegexTimeout = limits.Timeout;
            options.TimeSystem = new VirtualTimeSystem(scope.Time, scope.TimeZone);
            options.Culture = System.Globalization.CultureInfo.InvariantCulture;
        });
        _onFulfilled = Function("fulfilled", _ => { _run?.Fulfil(); return JsValue.Undefined; });
        _onRejected = Function("rejected", args => { _run?.Reject(args.At(0)); return JsValue.Undefined; });
        ScriptApi.Install(this);
        StringBudget.Install(this);
    }

    /// <summary>True once a limit stopped a script: the engine may be mid-way through anything, so it is not reused.</summary>
    public bool Broken { get; private set; }

    internal Jint.Engine Js => _js;
    internal RuleScope Scope => _scope;
    internal ScriptRun Run => _run ?? throw new JavaScriptException(_js.Intrinsics.Error, "the rules API is only usable while a rule runs");

    public async Task RunAsync(ScriptSnippet script, ScriptRun run)
    {
        Begin(run);
        try
        {
            var promise = Guard(script, () => _js.Evaluate(script.Prepared));
            Guard(script, () =>
            {
                _js.Invoke(promise.AsObject().Get("then"), promise, [_onFulfilled, _onRejected]);
                _js.Advanced.ProcessTasks(); // settles a script that finished (or threw) without awaiting
                return JsValue.Undefined;
            });
            while (!run.Settled)
            {
                if (run.Pending.Count == 0)
                    throw new ScriptFailedException(_scope.Id, "the script awaits a promise that nothing resolves", null, script.Map(1, 0));
                await Task.WhenAny(run.Pending.Select(p => p.Work)).WaitAsync(run.Token);
                foreach (var call in run.Pending.Where(p => p.Work.IsCompleted).ToList())
                {
                    run.Pending.Remove(call);
                    var answer = ScriptApi.Answer(this, call.What, await call.Work);
                    // Constraints measure one slice of script; the time spent waiting for the box is not the script's.
                    Guard(script, () => { _js.Constraints.Reset(); call.Promise.Resolve(answer); return JsValue.Undefined; });
                }
            }
            if (run.Rejection is { } error) throw Rejected(script, error);
            SaveStore(script);
        }
        finally
        {
            _run = null;
            await FinishUnawaitedAsync(run);
        }
    }

    public Truth Evaluate(ScriptSnippet script, ScriptRun run, out string saw)
    {
        Begin(run);
        try
        {
            var value = TypeConverter.ToBoolean(Guard(script, () => _js.Evaluate(script.Prepared)));
            if (run.UnavailableReads.Count > 0)
            {
                saw = $"{(value ? "true" : "false")}, but read unavailable signal {string.Join(", ", run.UnavailableReads)}";
                return Truth.Unavailable;
            }
            saw = value ? "true" : "false";
            return TruthExtensions.Of(value);
        }
        finally
        {
            _run = null;
        }
    }

    internal JsValue Function(string name, Func<JsValue[], JsValue> body) =>
        new ClrFunction(_js, name, (_, args) => body(args));

    internal static void Getter(ObjectInstance target, string name, JsValue getter) =>
        target.DefineOwnProperty(name, new GetSetPropertyDescriptor(getter, JsValue.Undefined, enumerable: true, configurable: false));

    private void Begin(ScriptRun run)
    {
        _run = run;
        _js.SetValue("now", JsValue.FromObject(_js, _scope.Time.GetUtcNow()));
        _js.SetValue("trigger", new JsonParser(_js).Parse(run.Trigger.ToJson()));
        _js.SetValue("store", new JsonParser(_js).Parse(_scope.Store.Get(_scope.Id)));
    }

    /// <summary>The longest string a script may build in one built-in call or hand to the host (UTF-16: 2 bytes a character).</summary>
    internal long MaxTextLength => _scope.Limits.MaxMemoryBytes / 2;

    private void SaveStore(ScriptSnippet script)
    {
        var store = _js.GetValue("store");
        var tooBig = new ScriptFailedException(_scope.Id,
            $"store not saved: more than {RuleStore.MaxJsonLength} characters of JSON (it keeps its value from before this run)", null, null);
        // The estimate is generous (a number counts as 24 characters): it only keeps a huge store from being built.
        if (TextSize.MayExceed(store, 8L * RuleStore.MaxJsonLength)) throw tooBig;
        var serialized = Guard(script, () => new JsonSerializer(_js).Serialize(store));
        var json = serialized.IsUndefined() ? "{}" : serialized.ToString();
        if (json.Length > RuleStore.MaxJsonLength) throw tooBig;
        // JSON.parse reads at most 64 levels: a deeper store could be saved but never loaded again.
        Guard(script, () => new JsonParser(_js).Parse(json));
        _scope.Store.Set(_scope.Id, json);
    }

    /// <summary>Calls the script started but did not await still reach the box; their answers belong in the trace.</summary>
    private async Task FinishUnawaitedAsync(ScriptRun run)
    {
        if (run.Pending.Count == 0 || run.Token.IsCancellationRequested) return;
        try
        {
            foreach (var call in run.Pending)
            {
                var result = await call.Work.WaitAsync(run.Token);
                run.Trace.Action(call.What, _scope.Time.GetUtcNow(), result.Outcome.ToString(), result.Message);
            }
        }
        catch (OperationCanceledException) { }
        run.Pending.Clear();
    }

    /// <summary>Runs script code and turns every way it can fail into a <see cref="ScriptFailedException"/>.</summary>
    private JsValue Guard(ScriptSnippet script, Func<JsValue> action)
    {
        try
        {
            return action();
        }
        catch (JavaScriptException e)
        {
            var line = e.Location.Start.Line;
            return line > 0
                ? throw new ScriptFailedException(_scope.Id, WithCode(e.Message, script, line), line, script.Map(line, e.Location.Start.Column))
                : throw AtCurrentLine(script, e.Message);
        }
        catch (RegexMatchTimeoutException)
        {
            throw Stopped(script, $"stopped: a regular expression ran longer than {Durations.Format(_scope.Limits.Timeout)}");
        }
        catch (TimeoutException)
        {
            throw Stopped(script, $"stopped: ran longer than {Durations.Format(_scope.Limits.Timeout)}");
        }
        catch (StatementsCountOverflowException)
        {
            throw Stopped(script, $"stopped: more than {_scope.Limits.MaxStatements} statements");
        }
        catch (MemoryLimitExceededException)
        {
            throw Stopped(script, $"stopped: used more than {_scope.Limits.MaxMemoryBytes} bytes of memory");
        }
        catch (RecursionDepthOverflowException)
        {
            throw Stopped(script, $"stopped: recursion deeper than {_scope.Limits.MaxRecursion} calls");
        }
    }

    private ScriptFailedException Stopped(ScriptSnippet script, string problem)
    {
        Broken = true;
        return AtCurrentLine(script, problem);
    }

    private ScriptFailedException AtCurrentLine(ScriptSnippet script, string problem) =>
        FromStack(script, problem, _js.Advanced.StackTrace);

    private ScriptFailedException Rejected(ScriptSnippet script, JsValue error)
    {
        var text = error is ObjectInstance o && o.Get("message") is JsString message
            ? $"{o.Get("name")}: {message}"
            : TypeConverter.ToString(error);
        var stack = error is ObjectInstance withStack && withStack.Get("stack") is JsString s ? s.ToString() : "";
        return FromStack(script, text, stack);
    }

    private ScriptFailedException FromStack(ScriptSnippet script, string problem, string stack)
    {
        var m = Regex.Match(stack, $@"{Regex.Escape(_scope.Id)}:(\d+):(\d+)");
        if (!m.Success) return new ScriptFailedException(_scope.Id, problem, null, null);
        var line = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var column = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        return new ScriptFailedException(_scope.Id, WithCode(problem, script, line), line, script.Map(line, Math.Max(column - 1, 0)));
    }

    /// <summary>"TypeError: Cannot convert undefined or null to object, in `wallbox.nope.x = 1;`": the line says what the message does not.</summary>
    private static string WithCode(string problem, ScriptSnippet script, int line) =>
        script.LineText(line) is { Length: > 0 } code ? $"{problem}, in `{code}`" : problem;
}

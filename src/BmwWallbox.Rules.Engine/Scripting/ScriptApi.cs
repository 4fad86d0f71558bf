using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Runtime;
using BmwWallbox.Rules.Engine.Model;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Engine.Scripting;

/// <summary>
/// The objects scripts see (declared for editors in rules/bmw-rules.d.ts). Actions go through the charge
/// controller under the rule's id, exactly like YAML actions, and answer { ok, outcome, message }.
/// </summary>
internal static class ScriptApi
{
    public static void Install(ScriptEngine e)
    {
        var js = e.Js;
        Constant(e, "wallbox", Wallbox(e));
        Constant(e, "signals", Signals(e));
        var mqtt = new JsObject(js);
        mqtt.FastSetDataProperty("publish", e.Function("publish", args => Publish(e, args)));
        Constant(e, "mqtt", mqtt);
        var log = new JsObject(js);
        log.FastSetDataProperty("info", e.Function("info", args => Log(e, LogLevel.Information, "log.info", args)));
        log.FastSetDataProperty("warn", e.Function("warn", args => Log(e, LogLevel.Warning, "log.warn", args)));
        log.FastSetDataProperty("error", e.Function("error", args => Log(e, LogLevel.Error, "log.error", args)));
        Constant(e, "log", log);
    }

    /// <summary>Records a finished host call in the trace and builds the script's answer object.</summary>
    public static JsValue Answer(ScriptEngine e, string what, ActionResult result)
    {
        e.Run.Trace.Action(what, e.Scope.Time.GetUtcNow(), result.Outcome.ToString(), result.Message);
        var answer = new JsObject(e.Js);
        answer.FastSetDataProperty("ok", result.Ok ? JsBoolean.True : JsBoolean.False);
        answer.FastSetDataProperty("outcome", result.Outcome.ToString());
        answer.FastSetDataProperty("message", result.Message);
        return answer;
    }

    private static void Constant(ScriptEngine e, string name, ObjectInstance value)
    {
        value.PreventExtensions();
        e.Js.Global.DefineOwnProperty(name, new PropertyDescriptor(value, writable: false, enumerable: true, configurable: false));
    }

    private static ObjectInstance Wallbox(ScriptEngine e)
    {
        var scope = e.Scope;
        var wallbox = new JsObject(e.Js);
        ScriptEngine.Getter(wallbox, "connected", e.Function("connected", _ => scope.Wallbox?.Connected ?? false));
        Field(e, wallbox, "status", WallboxField.Status, numeric: false);
        Field(e, wallbox, "chargingState", WallboxField.ChargingState, numeric: false);
        Field(e, wallbox, "power", WallboxField.Power, numeric: true);
        Field(e, wallbox, "energy", WallboxField.Energy, numeric: true);
        Field(e, wallbox, "current", WallboxField.Current, numeric: true);
        Field(e, wallbox, "voltage", WallboxField.Voltage, numeric: true);
        Field(e, wallbox, "limit", WallboxField.Limit, numeric: true);
        Field(e, wallbox, "limitSource", WallboxField.LimitSource, numeric: false);
        ScriptEngine.Getter(wallbox, "transactionId", e.Function("transactionId", _ =>
            scope.Wallbox is { Connected: true, HasActiveTransaction: true } s ? s.Transaction!.Id : JsValue.Null));

        // The charge mode and the installation (null in a run without charge modes).
        ScriptEngine.Getter(wallbox, "mode", e.Function("mode", _ =>
            scope.Controller is { } c && scope.Modes?.ModeOf(c.StationId) is { } m ? ChargeModeText.Of(m) : JsValue.Null));
        Installation? Installation() => scope.Controller is { } c ? scope.Modes?.InstallationOf(c.StationId) : null;
        ScriptEngine.Getter(wallbox, "phases", e.Function("phases", _ => Installation() is { } i ? i.Phases : JsValue.Null));
        ScriptEngine.Getter(wallbox, "voltageNominal", e.Function("voltageNominal", _ => Installation() is { } i ? i.Voltage : JsValue.Null));
        ScriptEngine.Getter(wallbox, "minCurrent", e.Function("minCurrent", _ => Installation() is { } i ? i.MinCurrent : JsValue.Null));
        ScriptEngine.Getter(wallbox, "maxCurrent", e.Function("maxCurrent", _ => Installation() is { } i ? i.MaxCurrent : JsValue.Null));
        ScriptEngine.Getter(wallbox, "sessionStartedAt", e.Function("sessionStartedAt", _ =>
            scope.Wallbox is { HasActiveTransaction: true } s ? Iso(s.Transaction!.StartedAt) : JsValue.Null));
        // The history's open session: plug-in time and kWh since, from meter register differences (null without one).
        OpenSession? Session() => scope.Controller is { } c ? scope.Sessions?.OpenSessionOf(c.StationId) : null;
        ScriptEngine.Getter(wallbox, "sessionEnergy", e.Function("sessionEnergy", _ => Session() is { } o ? Math.Round(o.EnergyKWh, 3) : JsValue.Null));
        ScriptEngine.Getter(wallbox, "pluggedInAt", e.Function("pluggedInAt", _ => Session() is { } o ? Iso(o.PluggedInAt) : JsValue.Null));

        var id = scope.Id;
        var reason = scope.Rule.Name;
        Verb(e, wallbox, "pause", "wallbox.pause()", (c, ct) => c.PauseAsync(id, reason: reason, ct: ct));
        Verb(e, wallbox, "resume", "wallbox.resume()", (c, ct) => c.ResumeAsync(id, ct));
        Verb(e, wallbox, "release", "wallbox.release()", (c, ct) => c.ReleaseAsync(id, ct));
        Verb(e, wallbox, "start", "wallbox.start()", (c, ct) => c.StartAsync(id, ct));
        Verb(e, wallbox, "reboot", "wallbox.reboot()", (c, ct) => c.RebootAsync(id, ct));
        wallbox.FastSetDataProperty("setCurrent", e.Function("setCurrent", args =>
        {
            var amps = args.At(0);
            var what = $"wallbox.setCurrent({amps})";
            return amps is JsNumber n && double.IsFinite(n.AsNumber()) && n.AsNumber() >= 0
                ? Call(e, what, (c, ct) => c.SetCurrentAsync(id, n.AsNumber(), reason: reason, ct: ct))
                : Call(e, what, (_, _) => Task.FromResult(ActionResult.Rejected(what, $"not done: setCurrent needs amperes as a number ≥ 0, got {amps}")));
        }));
        // setPlan({ energy_kwh: 30, by: "07:00" }), setPlan("30kWh@07:00"), setPlan(null) clears.
        wallbox.FastSetDataProperty("setPlan", e.Function("setPlan", args =>
        {
            var arg = args.At(0);
            var text = arg.IsNull() || arg.IsUndefined() ? "" : arg is JsString s ? s.ToString() : Text(e, arg, 1024);
            var what = $"wallbox.setPlan({(text.Length == 0 ? "null" : text)})";
            var run = CheckCall(e, what);
            ActionResult result = !PlanTargetText.TryParse(text, null, out var target, out var error)
                ? ActionResult.Rejected(what, $"not done: {error}")
                : run.UnavailableReads.Count > 0 ? ActionResult.Rejected(what, $"not done: the script read unavailable signal {string.Join(", ", run.UnavailableReads)}")
                : scope.Plans is not { } plans ? ActionResult.Rejected(what, "not done: no planner runs here")
                : scope.Controller is not { } controller ? ActionResult.Rejected(what, "not done: no station is configured")
                : plans.SetTarget(controller.StationId, target, $"rule {id}");
            return Pending(e, run, what, Task.FromResult(result));
        }));
        wallbox.FastSetDataProperty("setMode", e.Function("setMode", args =>
        {
            var word = args.At(0);
            var what = $"wallbox.setMode({word})";
            if (word is not JsString || !ChargeModeText.TryParse(word.ToString(), out var mode))
                return Call(e, what, (_, _) => Task.FromResult(ActionResult.Rejected(what, $"not done: setMode needs one of {string.Join(", ", ChargeModeText.All)}, got {word}")));
            return Call(e, what, (c, ct) => scope.Modes is { } modes
                ? modes.SetModeAsync(c.StationId, mode, $"rule {id}", ct)
                : Task.FromResult(ActionResult.Rejected(what, "not done: this run has no charge modes")));
        }));
        return wallbox;
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static void Field(ScriptEngine e, ObjectInstance target, string name, WallboxField field, bool numeric) =>
        ScriptEngine.Getter(target, name, e.Function(name, _ =>
        {
            var reading = e.Scope.Read(field);
            if (!reading.Available) return JsValue.Null;
            return numeric ? reading.Number!.Value : reading.Text!;
        }));

    private static void Verb(ScriptEngine e, ObjectInstance wallbox, string name, string what, Func<IChargeController, CancellationToken, Task<ActionResult>> op) =>
        wallbox.FastSetDataProperty(name, e.Function(name, _ => Call(e, what, op)));

    private static ObjectInstance Signals(ScriptEngine e)
    {
        var source = e.Scope.Signals;
        var signals = new JsObject(e.Js);
        foreach (var name in source.Names)
            ScriptEngine.Getter(signals, name, e.Function(name, _ =>
            {
                var reading = source.Get(name);
                if (reading.Available) return reading.Value!.Value;
                e.Run.UnavailableReads.Add(name);
                return JsValue.Null;
            }));
        signals.FastSetDataProperty("available", e.Function("available", args =>
        {
            var name = TypeConverter.ToString(args.At(0));
            return source.IsKnown(name)
                ? source.Get(name).Available
                : throw new JavaScriptException(e.Js.Intrinsics.TypeError, $"unknown signal '{name}'");
        }));
        return signals;
    }

    /// <summary>
    /// Starts a controller call and hands the script a promise of its answer. A script that read an
    /// unavailable signal in this run is not allowed to act: it would be acting on stale data.
    /// </summary>
    private static JsValue Call(ScriptEngine e, string what, Func<IChargeController, CancellationToken, Task<ActionResult>> op)
    {
        var run = CheckCall(e, what);
        var controller = e.Scope.Controller;
        Task<ActionResult> work = run.UnavailableReads.Count > 0
            ? Task.FromResult(ActionResult.Rejected(what, $"not done: the script read unavailable signal {string.Join(", ", run.UnavailableReads)}"))
            : controller is null
                ? Task.FromResult(ActionResult.Rejected(what, "not done: no station is configured"))
                : Safely(what, () => op(controller, run.Token));
        return Pending(e, run, what, work);
    }

    private static JsValue Publish(ScriptEngine e, JsValue[] args)
    {
        var topic = TypeConverter.ToString(args.At(0));
        var what = $"mqtt.publish({topic})";
        var run = CheckCall(e, what);
        if (!PublishTopic.IsValid(topic))
            throw new JavaScriptException(e.Js.Intrinsics.TypeError, $"cannot publish to '{topic}': a topic has no '+' or '#'");
        if (CommandTopics.Refusal(e.Scope.Bus.Topics, topic) is { } refusal)
            throw new JavaScriptException(e.Js.Intrinsics.TypeError, refusal);
        if (TextSize.MayExceed(args.At(1), e.MaxTextLength))
            throw new JavaScriptException(e.Js.Intrinsics.Error, $"cannot publish more than {e.MaxTextLength} characters");
        var payload = args.At(1) is JsString s ? s.ToString() : Text(e, args.At(1), e.MaxTextLength);
        var retain = args.At(2) is ObjectInstance options && TypeConverter.ToBoolean(options.Get("retain"));
        var work = Safely(what, async () =>
        {
            await e.Scope.Bus.PublishAsync(topic, payload, retain, run.Token);
            return ActionResult.Accepted(what, $"published {payload.Length} bytes{(retain ? ", retained" : "")}");
        });
        return Pending(e, run, what, work);
    }

    /// <summary>Characters log.* may write in one run; the rest is dropped with a note, so a loop cannot flood the log.</summary>
    public const int MaxLogPerRun = 8 * 1024;

    private static JsValue Log(ScriptEngine e, LogLevel level, string what, JsValue[] args)
    {
        var run = e.Run;
        var left = MaxLogPerRun - run.LoggedChars;
        if (left <= 0) return JsValue.Undefined; // the note was written when the budget ran out
        var text = string.Join(" ", args.Select(a => a is JsString s ? s.ToString()[..Math.Min(s.Length, left + 1)] : Text(e, a, 8 * MaxLogPerRun)));
        if (text.Length > left)
            text = $"{text[..left]}… (log.* may write {MaxLogPerRun} characters per run; the rest of this run's output is dropped)";
        run.LoggedChars += Math.Min(text.Length, left);
        e.Scope.Logger.Log(level, "Rule {Rule} script: {Message}", e.Scope.Id, text);
        run.Trace.Action(what, e.Scope.Time.GetUtcNow(), "Done", text);
        return JsValue.Undefined;
    }

    /// <summary>A value as text (JSON where it has one); refused when its text could exceed <paramref name="max"/> characters.</summary>
    private static string Text(ScriptEngine e, JsValue value, long max)
    {
        if (TextSize.MayExceed(value, max))
            return $"(a value of more than {max} characters)";
        var json = new JsonSerializer(e.Js).Serialize(value);
        return json.IsUndefined() ? TypeConverter.ToString(value) : json.ToString();
    }

    private static ScriptRun CheckCall(ScriptEngine e, string what)
    {
        var run = e.Run;
        if (!run.AllowActions)
            throw new JavaScriptException(e.Js.Intrinsics.TypeError, $"{what} is an action; a condition may only look");
        if (++run.HostCalls > e.Scope.Limits.MaxHostCalls)
            throw new JavaScriptException(e.Js.Intrinsics.Error, $"more than {e.Scope.Limits.MaxHostCalls} wallbox/mqtt calls in one run");
        return run;
    }

    private static JsValue Pending(ScriptEngine e, ScriptRun run, string what, Task<ActionResult> work)
    {
        var promise = e.Js.Advanced.RegisterPromise();
        run.Pending.Add(new PendingCall(what, work, promise));
        return promise.Promise;
    }

    /// <summary>A failing controller or bus becomes a rejected result the script can read, not an exception in it.</summary>
    private static async Task<ActionResult> Safely(string what, Func<Task<ActionResult>> op)
    {
        try
        {
            return await op();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ActionResult.Rejected(what, $"failed: {ex.Message}");
        }
    }
}

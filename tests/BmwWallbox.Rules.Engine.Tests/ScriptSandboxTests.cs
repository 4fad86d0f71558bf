using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Scripting;
using BmwWallbox.Rules.Engine.Tracing;

namespace BmwWallbox.Rules.Engine.Tests;

/// <summary>The JavaScript sandbox: its limits, what it refuses, error lines, and the API going through the controller.</summary>
public sealed class ScriptSandboxTests
{
    private static RulesOptions Limits(ScriptLimits limits) => new() { Scripts = limits };

    [Theory]
    [InlineData("while (true) { }", "stopped: ran longer than 200ms", 1)]
    [InlineData("let i = 0;\nfor (;;) { i++; }", "stopped: more than 1000 statements", 2)]
    [InlineData("const a = [];\n\nfor (;;) a.push('x'.repeat(1000) + a.length);", "stopped: used more than 2000000 bytes of memory", 3)]
    [InlineData("function f(n) {\n  return f(n + 1);\n}\nf(0);", "stopped: recursion deeper than 20 calls", 2)]
    [InlineData("const s = 'a'.repeat(40) + 'b';\n/(a+)+$/.test(s);", "stopped: a regular expression ran longer than 200ms", 2)]
    public async Task A_runaway_script_is_stopped_and_reported_with_rule_and_line(string body, string problem, int line)
    {
        var limits = problem.Contains("statements")
            ? Harness.RoomyScripts with { MaxStatements = 1000 }
            : new ScriptLimits { Timeout = problem.Contains("200ms") ? TimeSpan.FromMilliseconds(200) : Harness.RoomyScripts.Timeout, MaxStatements = int.MaxValue, MaxMemoryBytes = 2_000_000, MaxRecursion = 20 };
        await using var h = new Harness(options: Limits(limits));
        var trace = await h.RunScriptAsync(body);
        Assert.Equal("error", trace.Result);
        Assert.Contains("rule 'js'", trace.Error);
        Assert.Contains(problem, trace.Error);
        Assert.Contains($"script line {line} (", trace.Error);
        Assert.Contains($"rules.yaml:{4 + line}:", trace.Error);
        Assert.EndsWith($", in `{body.Split('\n')[line - 1].Trim()}`", trace.Error); // the line as written
    }

    [Theory]
    [InlineData("JSON.stringify(x)", "{ a: x }", 30_000, "Maximum call stack size exceeded")]
    [InlineData("mqtt.publish('deep', x)", "{ a: x }", 30_000, "Maximum call stack size exceeded")]
    [InlineData("JSON.stringify(x)", "{ a: x }", 1_000_000, "Maximum call stack size exceeded")]
    // Arrays are joined through toString → join, each level a call: the recursion limit stops them first.
    [InlineData("String(x)", "[x]", 30_000, "stopped: recursion deeper than 64 calls")]
    [InlineData("x.join(',')", "[x]", 30_000, "stopped: recursion deeper than 64 calls")]
    [InlineData("x.toString()", "[x]", 30_000, "stopped: recursion deeper than 64 calls")]
    [InlineData("`${x}`", "[x]", 30_000, "stopped: recursion deeper than 64 calls")]
    public async Task A_too_deep_structure_in_a_built_in_is_an_error_not_a_crash(string use, string nest, int depth, string error)
    {
        // A million nested objects take seconds on a busy machine: the roomy budget, and the trace waited for as long.
        var limits = Harness.RoomyScripts with { MaxStatements = int.MaxValue, MaxMemoryBytes = 2L << 30 };
        await using var h = new Harness(options: Limits(limits));
        var trace = await h.RunScriptAsync($$"""
            let x = {};
            for (let i = 0; i < {{depth}}; i++) x = {{nest}};
            {{use}};
            """);
        Assert.Equal("error", trace.Result);
        Assert.Contains(error, trace.Error);
        Assert.Contains("script line 3 (", trace.Error);
    }

    [Fact]
    public async Task A_script_can_catch_a_too_deep_json_stringify()
    {
        await using var h = new Harness();
        var trace = await h.RunScriptAsync("""
            let o = {};
            for (let i = 0; i < 30000; i++) o = { a: o };
            try { JSON.stringify(o); } catch (e) { log.warn('caught', e.name); }
            """);
        Assert.Equal("done", trace.Result);
        Assert.Equal("caught RangeError", trace.Actions[0].Message);
    }

    [Fact]
    public async Task Json_parse_of_deeply_nested_text_is_refused()
    {
        await using var h = new Harness();
        var trace = await h.RunScriptAsync("JSON.parse('['.repeat(30000) + ']'.repeat(30000));");
        Assert.Contains("Max. depth level of JSON reached", trace.Error);
    }

    [Theory]
    [InlineData("'x'.repeat(2 ** 27);")]
    [InlineData("'ab'.repeat(2 ** 26);")]
    [InlineData("'x'.padStart(2 ** 27);")]
    [InlineData("'x'.padEnd(2 ** 27, 'ab');")]
    [InlineData("s.concat(s, s, s, s, s, s, s, s, s);")]
    [InlineData("Array(1000).fill(s).join('');")]
    [InlineData("[s, s, s, s, s, s, s, s, s, s].join(s);")]
    [InlineData("String(Array(1000).fill(s));")]
    [InlineData("`${[Array(1000).fill(s)]}`;")]
    [InlineData("Array(1000).fill(s).toLocaleString();")]
    [InlineData("new Uint8Array(1000).join(s);")]
    [InlineData("String.raw({ raw: Array(1000).fill(s) });")]
    [InlineData("String.raw({ raw: Array(1001).fill('') }, ...Array(1000).fill(s));")]
    [InlineData("JSON.stringify(Array(1000).fill(s));")]
    [InlineData("JSON.stringify({ a: Array(10).fill(Array(100).fill(s)) }, null, 2);")]
    [InlineData("s.repeat(4).replaceAll('x', 'yyyy');")]
    [InlineData("'x'.repeat(2 ** 13).replace(/x/g, '$`');")]
    public async Task A_huge_string_is_refused_before_it_is_built(string build)
    {
        await using var h = new Harness();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var trace = await h.RunScriptAsync($"const s = 'x'.repeat(2 ** 20);\n{build}");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal("error", trace.Result);
        Assert.Contains("a script may build at most 8388608", trace.Error);
        Assert.Contains("script line 2 (", trace.Error);
        Assert.InRange(allocated, 0, 100L << 20); // the default 16 MiB limit plus the test's own work, not hundreds of MiB
    }

    [Fact]
    public async Task The_checked_string_built_ins_still_work()
    {
        await using var h = new Harness();
        var trace = await h.RunScriptAsync("""
            log.info([
              'ab'.repeat(3), [1, [2, 3]].join('-'), String([1, [2, 3]]), `${[4, 5]}`, 'a-b-c'.replaceAll('-', '+'),
              'abc'.replace('b', '$&$&'), 'a1b2'.replace(/\d/g, '#'), 'x'.padStart(3, '-'), 'x'.padEnd(2), 'a'.concat('b', 1),
              JSON.stringify({ a: [1] }, null, 1), [1.5].toLocaleString(), String.prototype.repeat.length, [].join.name,
              new Uint8Array([1, 2]).join(), String.raw`a\n${1}b`,
            ].join('|'));
            """);
        Assert.Equal("done", trace.Result);
        Assert.Equal("ababab|1-2,3|1,2,3|4,5|a+b+c|abbc|a#b#|--x|x |ab1|{\n \"a\": [\n  1\n ]\n}|1.5|1|join|1,2|a\\n1b", trace.Actions[0].Message);
    }

    [Theory]
    [InlineData("eval('1 + 1');", "String compilation has been disabled")]
    [InlineData("new Function('return 1')();", "String compilation has been disabled")]
    [InlineData("(function () {}).constructor('return this')();", "String compilation has been disabled")]
    [InlineData("importNamespace('System.IO');", "importNamespace is not defined")]
    [InlineData("System.IO.File.Exists('/etc/passwd');", "System is not defined")]
    [InlineData("wallbox.setCurrent.GetType();", "not a function")]
    [InlineData("undeclared = 1;", "undeclared is not defined")]
    public async Task Eval_Function_and_clr_access_are_refused(string body, string error)
    {
        await using var h = new Harness();
        var trace = await h.RunScriptAsync(body);
        Assert.Equal("error", trace.Result);
        Assert.True(trace.Error!.Contains(error), trace.Error);
    }

    [Fact]
    public async Task A_script_error_names_the_script_line_also_after_an_await()
    {
        await using var h = new Harness();
        var trace = await h.RunScriptAsync("const r = await wallbox.pause();\nlog.info(r.outcome);\nconst x = null;\nx.missing = 1;");
        Assert.Equal("error", trace.Result);
        Assert.Contains("script line 4 (", trace.Error);
        Assert.Contains("rules.yaml:8:", trace.Error);
        Assert.Contains("TypeError", trace.Error);
        Assert.Equal(["wallbox.pause()", "log.info"], trace.Actions.Take(2).Select(a => a.Action));
    }

    [Fact]
    public async Task A_runaway_script_stops_only_itself()
    {
        await using var h = new Harness(options: Limits(Harness.RoomyScripts with { MaxStatements = 500 }));
        var spin = h.NextTrace("spin");
        await h.StartAsync(Harness.ScriptRule("spin", "for (;;) {}", "[{ mqtt: spin }]") + Harness.ScriptRule("count", "store.n = (store.n ?? 0) + 1;", "[{ every: 10s }]")
            + "  mode: queued\n");
        await h.PublishAsync("spin", "");
        Assert.Equal("error", (await spin).Result);

        var counted = h.NextTrace("count");
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("done", (await counted).Result);

        var again = h.NextTrace("spin"); // the rule itself still runs (on a fresh engine)
        await h.PublishAsync("spin", "");
        Assert.Contains("statements", (await again).Error);
    }

    [Theory]
    [InlineData("await mqtt.publish('bmw-wallbox/garage/set/current', '32');")]
    [InlineData("await mqtt.publish('bmw-wallbox/cp-1/set/reboot', '');")]
    public async Task A_script_cannot_publish_a_station_command(string body)
    {
        await using var h = new Harness();
        var seen = new List<string>();
        h.Bus.Subscribe("+/+/set/#", (topic, _) => { lock (seen) seen.Add(topic); });
        var trace = await h.RunScriptAsync(body);
        Assert.Equal("error", trace.Result);
        Assert.Contains("is a station command topic", trace.Error);
        lock (seen) Assert.Empty(seen);
    }

    [Fact]
    public async Task A_yaml_rule_cannot_publish_a_station_command_and_other_topics_still_work()
    {
        await using var h = new Harness();
        var seen = new List<string>();
        h.Bus.Subscribe("#", (topic, _) => { lock (seen) seen.Add(topic); });
        var trace = h.NextTrace("p");
        await h.StartAsync("""
            - id: p
              when: [startup]
              then:
                - mqtt_publish: { topic: bmw-wallbox/garage/settings, payload: "1" }
                - mqtt_publish: { topic: bmw-wallbox/garage/set/pause, payload: "" }
                - log: not reached
            """);
        var run = await trace;
        Assert.Equal("error", run.Result);
        Assert.Equal(["Done", "Error"], run.Actions.Select(a => a.Outcome));
        Assert.Contains("cannot publish to 'bmw-wallbox/garage/set/pause'", run.Error);
        lock (seen) Assert.DoesNotContain("bmw-wallbox/garage/set/pause", seen);
        lock (seen) Assert.Contains("bmw-wallbox/garage/settings", seen);
    }

    [Fact]
    public async Task Too_many_host_calls_in_one_run_are_stopped()
    {
        await using var h = new Harness(options: Limits(Harness.RoomyScripts with { MaxHostCalls = 5 }));
        var trace = await h.RunScriptAsync("for (let i = 0; i < 100; i++) await mqtt.publish('loop', String(i));");
        Assert.Contains("more than 5 wallbox/mqtt calls in one run", trace.Error);
        Assert.Equal(5, trace.Actions.Count(a => a.Action.StartsWith("mqtt.publish", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Wallbox_actions_go_through_the_controller_under_the_rule_id_and_return_its_answer()
    {
        await using var h = new Harness();
        h.Controller.Answer = call => call.StartsWith("start", StringComparison.Ordinal) ? ActionResult.NotConnected("start") : null;
        var published = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Bus.Subscribe("out", (_, payload) => published.TrySetResult(payload));
        var trace = await h.RunScriptAsync("""
            const set = await wallbox.setCurrent(8);
            const start = await wallbox.start();
            await mqtt.publish('out', { set: set.ok, outcome: start.outcome, message: start.message, limit: wallbox.limit, source: wallbox.limitSource });
            """);
        Assert.Equal("done", trace.Result);
        var json = JsonDocument.Parse(await published.Task.WaitAsync(TestTimeouts.Guard)).RootElement;
        Assert.True(json.GetProperty("set").GetBoolean());
        Assert.Equal("NotConnected", json.GetProperty("outcome").GetString());
        Assert.Equal("Wallbox not connected", json.GetProperty("message").GetString());
        Assert.Equal(8, json.GetProperty("limit").GetDouble());
        Assert.Equal("js", json.GetProperty("source").GetString());
        Assert.Equal(ClaimKind.Rule, h.Controller.Claims["js"].Kind);
        Assert.Contains(trace.Actions, a => a.Action == "wallbox.start()" && a.Outcome == "NotConnected");
    }

    [Fact]
    public async Task A_script_does_not_act_after_reading_an_unavailable_signal()
    {
        await using var h = new Harness();
        var trace = await h.RunScriptAsync("""
            const amps = Math.floor(-signals.grid_power / 230); // null → 0 in JS: must not become a pause
            const r = await wallbox.setCurrent(amps);
            const bad = await wallbox.setCurrent(null);
            log.info(r.ok, r.message, bad.ok);
            """);
        Assert.Empty(h.Controller.Calls);
        Assert.Contains(trace.Actions, a => a.Message == "not done: the script read unavailable signal grid_power");
        Assert.Contains(trace.Actions, a => a.Action == "log.info" && a.Message.StartsWith("false", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_script_checking_availability_first_is_not_blocked()
    {
        await using var h = new Harness();
        var trace = await h.RunScriptAsync("if (!signals.available('grid_power')) { await wallbox.pause(); }");
        Assert.Equal(["claim js 0"], h.Controller.Calls);
        Assert.Equal("done", trace.Result);
    }

    [Fact]
    public async Task Calls_a_script_does_not_await_still_happen_and_are_traced()
    {
        await using var h = new Harness();
        var trace = await h.RunScriptAsync("wallbox.pause();\nmqtt.publish('x', 'y', { retain: true });");
        Assert.Equal(["claim js 0"], h.Controller.Calls);
        Assert.Equal("y", h.Bus.Retained["x"]);
        Assert.Contains(trace.Actions, a => a.Action == "wallbox.pause()" && a.Outcome == "Accepted");
    }

    [Fact]
    public async Task A_script_awaiting_forever_is_an_error_not_a_hang()
    {
        await using var h = new Harness();
        var trace = await h.RunScriptAsync("await new Promise(() => {});");
        Assert.Contains("awaits a promise that nothing resolves", trace.Error);
    }

    [Fact]
    public async Task Store_survives_runs_and_reloads_and_time_is_virtual()
    {
        await using var h = new Harness();
        var rule = Harness.ScriptRule("js", "store.n = (store.n ?? 0) + 1;\nmqtt.publish('n', `${store.n} ${new Date().toISOString()} ${now.toISOString()}`, { retain: true });", "[{ mqtt: go }]");
        await h.StartAsync(rule);
        for (var i = 0; i < 2; i++)
        {
            var run = h.NextTrace("js");
            await h.PublishAsync("go", "");
            await run;
        }
        h.Write("rules.yaml", rule.Replace("mqtt: go", "mqtt: again"));
        Assert.True((await h.Runtime.ReloadAsync(CancellationToken.None)).Ok);
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        var third = h.NextTrace("js");
        await h.PublishAsync("again", "");
        await third;
        Assert.Equal("3 2025-06-02T08:05:00.000Z 2025-06-02T08:05:00.000Z", h.Bus.Retained["n"]);
    }

    [Theory]
    [InlineData("store.big = 'x'.repeat(70000);", "store not saved: more than 65536 characters of JSON")]
    [InlineData("const s = 'x'.repeat(1 << 20);\nstore.many = Array(1000).fill(s);", "store not saved: more than 65536 characters of JSON")]
    [InlineData("store.many = Array(1000).fill('x'.repeat(1000));", "store not saved: more than 65536 characters of JSON")]
    [InlineData("let o = {};\nfor (let i = 0; i < 100; i++) o = { a: o };\nstore.deep = o;", "Max. depth level of JSON reached")]
    public async Task A_store_too_big_or_too_deep_is_an_error_and_keeps_its_value(string body, string error)
    {
        await using var h = new Harness();
        await h.StartAsync(Harness.ScriptRule("js", $"store.n = (store.n ?? 0) + 1;\nif (trigger.payload === 'grow') {{\n{body}\n}}\nmqtt.publish('n', String(store.n), {{ retain: true }});", "[{ mqtt: go }]"));
        async Task<RuleTrace> Run(string payload)
        {
            var run = h.NextTrace("js");
            await h.PublishAsync("go", payload);
            return await run;
        }

        Assert.Equal("done", (await Run("")).Result);
        var grown = await Run("grow");
        Assert.Equal("error", grown.Result);
        Assert.Contains(error, grown.Error);
        Assert.Equal("done", (await Run("")).Result);
        Assert.Equal("2", h.Bus.Retained["n"]); // 1 saved, 2 not saved, then 1 + 1 again
    }

    [Fact]
    public async Task A_store_of_thousands_of_numbers_within_the_limit_is_kept()
    {
        await using var h = new Harness();
        var trace = await h.RunScriptAsync("store.samples = Array.from({ length: 5000 }, (_, i) => i);");
        Assert.Equal("done", trace.Result);
    }

    [Fact]
    public async Task Log_output_of_one_run_is_bounded_with_a_note()
    {
        await using var h = new Harness();
        var trace = await h.RunScriptAsync("for (let i = 0; i < 1000; i++) log.info('x'.repeat(100));\nlog.info(Array(1000).fill('y'.repeat(1 << 20)));");
        Assert.Equal("done", trace.Result);
        var logged = trace.Actions.Where(a => a.Action == "log.info").ToList();
        Assert.InRange(logged.Sum(a => a.Message.Length), ScriptApi.MaxLogPerRun, ScriptApi.MaxLogPerRun + 200);
        Assert.EndsWith("the rest of this run's output is dropped)", logged[^1].Message);
    }

    [Fact]
    public async Task A_store_that_is_not_json_serialisable_is_an_error()
    {
        await using var h = new Harness();
        var trace = await h.RunScriptAsync("store.self = store;");
        Assert.Equal("error", trace.Result);
        Assert.Contains("rule 'js'", trace.Error);
    }
}

using System.Collections.Concurrent;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Rules.Engine.Runtime;

namespace BmwWallbox.Rules.Engine.Scripting;

/// <summary>
/// The JavaScript engines of one rule. Engines are reused between runs (scripts are already parsed);
/// parallel runs each take their own, since an engine runs one script at a time. An engine that a limit
/// stopped is dropped rather than reused.
/// </summary>
internal sealed class ScriptSandbox(RuleScope scope)
{
    private readonly ConcurrentBag<ScriptEngine> _idle = [];

    public ScriptEngine Rent() => _idle.TryTake(out var engine) ? engine : new ScriptEngine(scope);

    public void Return(ScriptEngine engine)
    {
        if (!engine.Broken) _idle.Add(engine);
    }

    public async Task RunAsync(ScriptSnippet script, ScriptRun run)
    {
        var engine = Rent();
        try
        {
            await engine.RunAsync(script, run);
        }
        finally
        {
            Return(engine);
        }
    }

    public Truth Evaluate(ScriptSnippet script, ScriptRun run, out string saw)
    {
        var engine = Rent();
        try
        {
            return engine.Evaluate(script, run, out saw);
        }
        finally
        {
            Return(engine);
        }
    }
}

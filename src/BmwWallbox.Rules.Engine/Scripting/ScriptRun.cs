using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Tracing;
using BmwWallbox.Rules.Engine.Triggers;
using Jint.Native;
using Jint.Native.Promise;

namespace BmwWallbox.Rules.Engine.Scripting;

/// <summary>
/// One execution of a script or JS condition: where its host calls go, what it read, how it ended.
/// Conditions run with <see cref="AllowActions"/> false: they may look, not act.
/// </summary>
internal sealed class ScriptRun(TraceBuilder trace, TriggerFired trigger, bool allowActions, CancellationToken token)
{
    public TraceBuilder Trace { get; } = trace;
    public TriggerFired Trigger { get; } = trigger;
    public bool AllowActions { get; } = allowActions;
    public CancellationToken Token { get; } = token;

    /// <summary>Controller and MQTT calls started by the script and not yet answered.</summary>
    public List<PendingCall> Pending { get; } = [];
    public int HostCalls { get; set; }
    /// <summary>Characters written by log.* in this run (bounded, see ScriptApi.MaxLogPerRun).</summary>
    public int LoggedChars { get; set; }
    /// <summary>Signals the script read while they were unavailable.</summary>
    public SortedSet<string> UnavailableReads { get; } = new(StringComparer.Ordinal);

    public bool Settled { get; private set; }
    public JsValue? Rejection { get; private set; }

    public void Fulfil() => Settled = true;

    public void Reject(JsValue error)
    {
        Settled = true;
        Rejection = error;
    }
}

/// <summary>A host call from a script: the work and the promise the script may be awaiting.</summary>
internal sealed record PendingCall(string What, Task<ActionResult> Work, ManualPromise Promise);

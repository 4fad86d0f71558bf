using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox;

// CSMS→station calls: parse fully first, then change state, then answer.
public sealed partial class SimulatedWallbox
{
    private readonly CallDispatcher _calls;

    /// <summary>
    /// In-process: handles one CSMS→station CALL and returns the CALLRESULT payload, or throws
    /// <see cref="OcppCallErrorException"/> for a CALLERROR. Follow-up messages (TriggerMessage,
    /// GetBaseReport, a transaction started remotely) are queued for <see cref="FlushAsync"/>;
    /// a Reset starts the reboot before this returns.
    /// </summary>
    public async Task<JsonNode> HandleCallAsync(string action, JsonNode? payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        return await _calls.HandleInProcessAsync(action, payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For transports: the answer, plus what to run once the answer is on the wire.</summary>
    internal Task<CallOutcome> HandleIncomingAsync(string action, JsonNode? payload, CancellationToken cancellationToken) =>
        _calls.HandleAsync(action, payload, cancellationToken);
}

using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox;

/// <summary>A station→CSMS message waiting in the box's queue.</summary>
/// <param name="Extra">Quirk 2: a message a minimal CSMS does not expect; a CALLERROR to it breaks the session.</param>
/// <param name="Attempts">Deliveries that timed out so far (TransactionEvents are retried).</param>
internal sealed record Outgoing(string Action, JsonObject Payload, bool Extra = false, int Attempts = 0)
{
    public bool IsTransactionEvent => Action == "TransactionEvent";
}

using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// The box's way to reach its CSMS: a WebSocket session (<see cref="SimulatedBoxClient"/>) or an
/// in-process adapter (<c>bmw-rules simulate</c>). The box never has more than one call outstanding.
/// </summary>
public interface ICsmsChannel
{
    /// <summary>
    /// Sends a station→CSMS CALL and returns the CALLRESULT payload. Throws
    /// <see cref="OcppCallErrorException"/> for a CALLERROR; any other exception means the
    /// connection is gone (the box queues TransactionEvents and goes offline).
    /// </summary>
    Task<JsonNode> CallAsync(string action, JsonObject payload, CancellationToken cancellationToken);

    /// <summary>The box ends the session (reboot, broken session). Must not block.</summary>
    void Close(string reason);

    /// <summary>
    /// The channel turns each payload into JSON text before <see cref="CallAsync"/> returns control (as a socket
    /// does), so an in-process box need not hand it a copy parsed off the wire; false: it gets one.
    /// </summary>
    bool SerializesPayloads => false;
}

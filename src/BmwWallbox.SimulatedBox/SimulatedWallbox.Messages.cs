using System.Text.Json.Nodes;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

// Payloads of station→CSMS messages.
public sealed partial class SimulatedWallbox
{
    private JsonObject StatusNotificationPayload(DateTimeOffset at) => new()
    {
        ["timestamp"] = Timestamp(at),
        ["connectorStatus"] = _connectorStatus,
        ["evseId"] = 1,
        ["connectorId"] = 1,
    };
}

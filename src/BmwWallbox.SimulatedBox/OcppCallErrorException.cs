using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// An OCPP CALLERROR, in both directions: thrown by the box when it refuses a CSMS call, and
/// thrown by an <see cref="ICsmsChannel"/> when the CSMS answered a station call with an error.
/// </summary>
public sealed class OcppCallErrorException(string errorCode, string description, JsonObject? details = null)
    : Exception($"{errorCode}: {description}")
{
    public string ErrorCode { get; } = errorCode;
    public string Description { get; } = description;
    public JsonObject? Details { get; } = details;
}

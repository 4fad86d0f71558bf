using System.Text.Json.Nodes;

namespace BmwWallbox.SimulatedBox;

public enum SimulatorEventKind
{
    /// <summary>A session to the CSMS opened (socket connected / in-process attached).</summary>
    Connected,
    /// <summary>The session ended; <see cref="BoxEvent.Detail"/> says why.</summary>
    Disconnected,
    /// <summary>The transport could not connect; <see cref="BoxEvent.Detail"/> holds the error.</summary>
    ConnectFailed,
    BootAccepted,
    /// <summary>A CSMS→station call was answered: Action, Payload (request), Response or ErrorCode.</summary>
    CallReceived,
    /// <summary>A station→CSMS call completed: Action, Payload, Response or ErrorCode (Detail "lost" when the link broke).</summary>
    MessageSent,
    /// <summary>The box's applied limit changed; <see cref="BoxEvent.Amps"/> (null = hardware max).</summary>
    LimitChanged,
    /// <summary>Detail = new chargingState (or "None" when no transaction).</summary>
    ChargingStateChanged,
    /// <summary>Detail = new connector status.</summary>
    StatusChanged,
    /// <summary>Detail = transaction id.</summary>
    TransactionStarted,
    /// <summary>Detail = stoppedReason.</summary>
    TransactionEnded,
    /// <summary>The box started rebooting; Detail = reason.</summary>
    Rebooting,
    /// <summary>The session is desynchronised (quirk 1 strict); Detail = why.</summary>
    Desynchronised,
}

/// <summary>Something observable the box did; tests await these via <see cref="SimulatedWallbox.WaitForAsync"/>.</summary>
public sealed record BoxEvent(
    long Sequence,
    DateTimeOffset Time,
    SimulatorEventKind Kind,
    string? Action = null,
    JsonNode? Payload = null,
    JsonNode? Response = null,
    string? ErrorCode = null,
    string? Detail = null,
    double? Amps = null);

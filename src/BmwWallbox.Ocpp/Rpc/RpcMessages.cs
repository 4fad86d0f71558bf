using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace BmwWallbox.Ocpp.Rpc;

/// <summary>
/// How we answer a CALL from the station: a CALLRESULT payload or a CALLERROR. A typed payload is
/// kept as the object and serialised straight into the outgoing frame. A struct: every CALL has one,
/// and it lives only until its answer is written.
/// </summary>
internal readonly struct RpcReply
{
    private readonly string? _json;
    private readonly object? _payload;
    private readonly JsonTypeInfo? _payloadInfo;

    private RpcReply(string? json, object? payload, JsonTypeInfo? payloadInfo, string? errorCode, string? errorDescription)
        => (_json, _payload, _payloadInfo, ErrorCode, ErrorDescription) = (json, payload, payloadInfo, errorCode, errorDescription);

    public static RpcReply Result(string json) => new(json, null, null, null, null);
    public static RpcReply Result<T>(T payload, JsonTypeInfo<T> info) => new(null, payload, info, null, null);
    public static RpcReply Error(string code, string description) => new(null, null, null, code, description);

    public bool IsResult => ErrorCode is null;
    public string? ErrorCode { get; }
    public string? ErrorDescription { get; }

    /// <summary>The CALLRESULT payload as JSON text (tests, logs); null for an error.</summary>
    public string? ResultJson => _payloadInfo is { } info ? JsonSerializer.Serialize(_payload, info) : _json;

    /// <summary>Writes the CALLRESULT payload.</summary>
    public void WriteResult(Utf8JsonWriter writer)
    {
        if (_payloadInfo is { } info) JsonSerializer.Serialize(writer, _payload, info);
        else writer.WriteRawValue(_json ?? throw new InvalidOperationException("an error reply has no result payload"));
    }
}

internal enum RpcOutcome { Result, Error, TimedOut, Closed }

/// <summary>What became of one of our CALLs.</summary>
internal sealed record RpcResponse(RpcOutcome Outcome, JsonElement Payload = default, string? ErrorCode = null, string? ErrorDescription = null)
{
    public static readonly RpcResponse TimedOut = new(RpcOutcome.TimedOut);
    public static readonly RpcResponse Closed = new(RpcOutcome.Closed);
}

/// <summary>Answers a CALL received from the station.</summary>
internal delegate ValueTask<RpcReply> RpcCallHandler(string action, JsonElement payload, CancellationToken ct);

using System.Text.Json;

namespace BmwWallbox.Ocpp.Rpc;

/// <summary>How we answer a CALL from the station: a CALLRESULT payload or a CALLERROR.</summary>
internal sealed record RpcReply(string? ResultJson, string? ErrorCode, string? ErrorDescription)
{
    public static RpcReply Result(string json) => new(json, null, null);
    public static RpcReply Error(string code, string description) => new(null, code, description);
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

namespace BmwWallbox.Ocpp.Rpc;

/// <summary>The CALLERROR codes of OCPP 2.0.1 Part 4. Peers may send others; those are passed on as text.</summary>
internal static class RpcErrorCode
{
    public const string FormatViolation = "FormatViolation";
    public const string GenericError = "GenericError";
    public const string InternalError = "InternalError";
    public const string MessageTypeNotSupported = "MessageTypeNotSupported";
    public const string NotImplemented = "NotImplemented";
    public const string NotSupported = "NotSupported";
    public const string OccurrenceConstraintViolation = "OccurrenceConstraintViolation";
    public const string PropertyConstraintViolation = "PropertyConstraintViolation";
    public const string ProtocolError = "ProtocolError";
    public const string RpcFrameworkError = "RpcFrameworkError";
    public const string SecurityError = "SecurityError";
    public const string TypeConstraintViolation = "TypeConstraintViolation";
}

namespace BmwWallbox.Ocpp;

public enum CommandStatus
{
    /// <summary>The station answered; see <see cref="CommandResult{T}.Response"/> (which may still say Rejected).</summary>
    Ok,
    NotConnected,
    TimedOut,
    /// <summary>The station answered with a CALLERROR, or its answer (or our request) broke the OCPP schema.</summary>
    Failed,
}

/// <summary>
/// The outcome of a CSMS → station command. Expected failures are values, not exceptions:
/// <see cref="Error"/> is "Wallbox not connected", "Command timed out" or
/// "&lt;Action&gt; failed: &lt;error code&gt; &lt;description&gt;".
/// </summary>
public sealed record CommandResult<T>(string Action, CommandStatus Status, T? Response, string? ErrorCode = null, string? Error = null)
    where T : class
{
    public bool Ok => Status == CommandStatus.Ok;

    internal static CommandResult<T> Answered(string action, T response) => new(action, CommandStatus.Ok, response);
    internal static CommandResult<T> NotConnected(string action) => new(action, CommandStatus.NotConnected, null, null, "Wallbox not connected");
    internal static CommandResult<T> TimedOut(string action) => new(action, CommandStatus.TimedOut, null, null, "Command timed out");
    internal static CommandResult<T> Failed(string action, string code, string description)
        => new(action, CommandStatus.Failed, null, code, $"{action} failed: {code} {description}".TrimEnd());

    public override string ToString() => Ok ? $"{Action}: {Response}" : $"{Action}: {Error}";
}

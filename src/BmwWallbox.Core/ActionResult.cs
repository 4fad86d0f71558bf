namespace BmwWallbox.Core;

public enum ActionOutcome { Accepted, Rejected, NotConnected, TimedOut }

/// <summary>What a controller action did, in words a user can be shown.</summary>
public sealed record ActionResult(string Action, ActionOutcome Outcome, string Message)
{
    public bool Ok => Outcome == ActionOutcome.Accepted;

    public static ActionResult Accepted(string action, string message) => new(action, ActionOutcome.Accepted, message);
    public static ActionResult Rejected(string action, string reason) => new(action, ActionOutcome.Rejected, reason);
    public static ActionResult NotConnected(string action) => new(action, ActionOutcome.NotConnected, "Wallbox not connected");
    public static ActionResult TimedOut(string action) => new(action, ActionOutcome.TimedOut, "Command timed out");

    public override string ToString() => $"{Action}: {Outcome} ({Message})";
}

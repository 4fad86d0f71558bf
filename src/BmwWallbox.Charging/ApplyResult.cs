using BmwWallbox.Core;

namespace BmwWallbox.Charging;

/// <summary>What bringing the box to the effective limit did, in words (it becomes part of an action's result or a log line).</summary>
/// <param name="OnBox">True when the box accepted a profile with the limit.</param>
internal sealed record ApplyResult(ActionOutcome Outcome, string Message, bool OnBox = false)
{
    public static ApplyResult Ok(string message) => new(ActionOutcome.Accepted, message);
    public static ApplyResult Sent(string message) => new(ActionOutcome.Accepted, message, OnBox: true);

    /// <summary>The result of <paramref name="action"/>, which did <paramref name="what"/> and then applied the limit.</summary>
    public ActionResult ToAction(string action, string what) => Outcome == ActionOutcome.Accepted
        ? ActionResult.Accepted(action, $"{what}; {Message}")
        : new ActionResult(action, Outcome, $"{Message}; {what} (kept)");
}

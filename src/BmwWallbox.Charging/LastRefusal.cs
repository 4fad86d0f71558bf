using BmwWallbox.Core;

namespace BmwWallbox.Charging;

/// <summary>
/// The box's last refusal of a command, shown as <see cref="ControlState.LastRejected"/> so a person
/// sees why the box is not at the limit. The profile strategy and the controller's actions record
/// refusals; each one replaces the one before. Used from the controller's worker only.
/// </summary>
internal sealed class LastRefusal
{
    public ActionResult? Result { get; private set; }

    /// <summary>Remember <paramref name="refusal"/> and return it.</summary>
    public ActionResult Record(ActionResult refusal)
    {
        Result = refusal;
        return refusal;
    }
}

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// What a CSMS call sets off once its reply is on the wire (TriggerMessage semantics: the triggered
/// message follows the answer; a Reset reboots after answering). Discarded when the call fails.
/// </summary>
internal sealed class AfterReply
{
    private readonly List<Action<DateTimeOffset>> _steps = [];

    public void Add(Action<DateTimeOffset> step) => _steps.Add(step);

    public void Clear() => _steps.Clear();

    public Action<DateTimeOffset>[] Take()
    {
        var steps = _steps.ToArray();
        _steps.Clear();
        return steps;
    }
}

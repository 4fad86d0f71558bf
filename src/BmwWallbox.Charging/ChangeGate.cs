namespace BmwWallbox.Charging;

/// <summary>Why a raise has to wait.</summary>
internal enum HoldReason { None, RateLimit, PauseCycleCap }

/// <summary>When a new limit may go out: now (<see cref="NotBefore"/> null) or later, and why.</summary>
internal sealed record GateDecision(DateTimeOffset? NotBefore, HoldReason Reason)
{
    public static GateDecision Now { get; } = new(null, HoldReason.None);
}

/// <summary>
/// Paces limit changes so the car is not jerked around: a lower limit always goes out at once;
/// a raise waits until MinChangeInterval has passed since the last change; a resume from 0 A
/// also waits while MaxPauseCyclesPerHour resumes already happened in the rolling hour. A phase
/// switch (1 ↔ 3 phases) is a cycle too: it waits like a resume and uses up one of the hour's cycles.
/// The controller asks it only for changes made by rules and strategies; a person's change goes out at once.
/// </summary>
internal sealed class ChangeGate(WallboxOptions options)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly Queue<DateTimeOffset> _resumes = new();
    private DateTimeOffset? _lastChange;

    /// <param name="from">What the box holds now; null when unknown (then anything goes out at once).</param>
    public GateDecision Check(double? from, double to, DateTimeOffset now)
    {
        if (from is not { } current || to <= current) return GateDecision.Now;
        return Decide(now, isCycle: current == 0);
    }

    /// <summary>When a phase switch may go out: like a resume (rate limit and the hour's cycles).</summary>
    public GateDecision CheckSwitch(DateTimeOffset now) => Decide(now, isCycle: true);

    private GateDecision Decide(DateTimeOffset now, bool isCycle)
    {
        DateTimeOffset? notBefore = null;
        var reason = HoldReason.None;
        if (_lastChange is { } last && now - last < options.MinChangeInterval)
            (notBefore, reason) = (last + options.MinChangeInterval, HoldReason.RateLimit);

        if (isCycle)
        {
            Prune(now);
            if (_resumes.Count >= options.MaxPauseCyclesPerHour)
            {
                // The window frees a slot when the resume that is `max` places back leaves it.
                var freesAt = _resumes.ElementAt(_resumes.Count - options.MaxPauseCyclesPerHour) + Window;
                if (notBefore is null || freesAt > notBefore) (notBefore, reason) = (freesAt, HoldReason.PauseCycleCap);
            }
        }
        return new(notBefore, reason);
    }

    /// <summary>A phase switch the box accepted: a change and a cycle.</summary>
    public void RecordSwitch(DateTimeOffset now)
    {
        _lastChange = now;
        _resumes.Enqueue(now);
    }

    /// <summary>Record a limit the box accepted; a person's resume does not use up the automation's cycles.</summary>
    public void Record(double? from, double to, DateTimeOffset now, bool countsAsCycle = true)
    {
        if (from == to) return;
        _lastChange = now;
        if (countsAsCycle && from == 0 && to > 0) _resumes.Enqueue(now);
    }

    private void Prune(DateTimeOffset now)
    {
        while (_resumes.TryPeek(out var oldest) && now - oldest >= Window) _resumes.Dequeue();
    }
}

using BmwWallbox.Rules.Engine.Model;

namespace BmwWallbox.Rules.Engine.Triggers;

/// <summary>
/// from:/to:/for: on a stream of state texts (a signal's value or availability, a wallbox field).
/// The first state seen is the baseline and does not fire; after that each change that matches from and
/// to fires — after the new state held for <c>for</c>, if set.
/// </summary>
internal sealed class ChangeDetector(StateMatcher? from, StateMatcher? to, TimeSpan holdFor, TimeProvider time) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly HoldTimer _hold = new(time);
    private string? _state;
    private (string From, string To)? _pending;

    public void Observe(string state, Action<string, string> fire)
    {
        lock (_lock)
        {
            var previous = _state;
            _state = state;
            if (previous is null || previous == state) return;
            // A pending change survives further changes that still match to: (e.g. to: available).
            if (_pending is not null && !(to?.Matches(state) ?? false)) { _hold.Cancel(); _pending = null; }
            if (_pending is not null || !(from?.Matches(previous) ?? true) || !(to?.Matches(state) ?? true)) return;
            if (holdFor <= TimeSpan.Zero) { fire(previous, state); return; }
            _pending = (previous, state);
            _hold.Start(holdFor, generation => Elapsed(generation, fire));
        }
    }

    private void Elapsed(long generation, Action<string, string> fire)
    {
        (string From, string To) change;
        lock (_lock)
        {
            if (!_hold.IsCurrent(generation) || _pending is not { } p) return;
            _pending = null;
            change = (p.From, _state ?? p.To);
        }
        fire(change.From, change.To);
    }

    public void Dispose()
    {
        lock (_lock) _hold.Dispose();
    }
}

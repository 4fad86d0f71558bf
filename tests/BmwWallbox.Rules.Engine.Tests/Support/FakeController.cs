using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Tests.Support;

/// <summary>
/// A stand-in for the real charge controller: records every call and computes the limit as the
/// minimum of the held claims (max 32 A without claims).
/// </summary>
internal sealed class FakeController(string stationId = "cp-1", string name = "garage") : IChargeController
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ClaimRequest> _claims = new(StringComparer.Ordinal);
    private readonly List<string> _calls = [];

    public string StationId => stationId;
    public string Name => name;
    public double MaxCurrent { get; init; } = 32;

    /// <summary>When set, every call waits for it (to hold runs open).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When set, decides the answer instead of Accepted.</summary>
    public Func<string, ActionResult?>? Answer { get; set; }

    public event Action<ControlState>? ControlChanged;

    public IReadOnlyList<string> Calls
    {
        get { lock (_lock) return [.. _calls]; }
    }

    public IReadOnlyDictionary<string, ClaimRequest> Claims
    {
        get { lock (_lock) return new Dictionary<string, ClaimRequest>(_claims); }
    }

    public ControlState Control
    {
        get
        {
            lock (_lock)
            {
                var min = _claims.Values.OrderBy(c => c.Amps).FirstOrDefault();
                var claims = _claims.Values.Select(c => new Claim(c.Source, c.Amps, c.Kind, DateTimeOffset.UnixEpoch, c.ExpiresAt, c.EndsOnUnplug, c.Reason)).ToList();
                return new ControlState(stationId, min?.Amps ?? MaxCurrent, min?.Source ?? "default", min?.Amps ?? MaxCurrent, false, claims);
            }
        }
    }

    public double Limit => Control.EffectiveLimit;

    public Task<ActionResult> ClaimAsync(ClaimRequest claim, CancellationToken ct = default) =>
        Do($"claim {claim.Source} {claim.Amps}", () => _claims[claim.Source] = claim, ct);

    public Task<ActionResult> ReleaseAsync(string source, CancellationToken ct = default) =>
        Do($"release {source}", () => _claims.Remove(source), ct);

    public Task<ActionResult> StartAsync(string source, CancellationToken ct = default) => Do($"start {source}", () => { }, ct);

    public Task<ActionResult> StopAsync(string source, CancellationToken ct = default) => Do($"stop {source}", () => { }, ct);

    public Task<ActionResult> RebootAsync(string source, CancellationToken ct = default) => Do($"reboot {source}", () => { }, ct);

    private async Task<ActionResult> Do(string call, Action change, CancellationToken ct)
    {
        if (Gate is { } gate) await gate.Task.WaitAsync(ct);
        if (Answer?.Invoke(call) is { } answer)
        {
            lock (_lock) _calls.Add(call + " (refused)");
            return answer;
        }
        lock (_lock)
        {
            _calls.Add(call);
            change();
        }
        var control = Control;
        ControlChanged?.Invoke(control);
        return ActionResult.Accepted(call.Split(' ')[0], $"limit {control.EffectiveLimit} A from {control.LimitSource}");
    }
}

internal sealed class FakeControllers(params IChargeController[] controllers) : IChargeControllers
{
    public IReadOnlyList<IChargeController> All => controllers;

    public IChargeController? Find(string stationIdOrName) =>
        controllers.FirstOrDefault(c => c.StationId == stationIdOrName || c.Name == stationIdOrName);
}

using System.Threading.Channels;
using BmwWallbox.Core;

namespace BmwWallbox.Mqtt.Tests.Infrastructure;

internal sealed record ControllerCall(string Verb, string Source, ClaimRequest? Claim = null);

/// <summary>A minimal IChargeController that records what it was asked and answers as told.</summary>
internal sealed class RecordingController(string stationId, string name) : IChargeController
{
    private readonly Channel<ControllerCall> _calls = Channel.CreateUnbounded<ControllerCall>();
    private readonly Lock _lock = new();
    private readonly List<ControllerCall> _all = [];

    public string StationId { get; } = stationId;
    public string Name { get; } = name;
    public ControlState Control { get; private set; } = new(stationId, 32, "default", 32, false, []);
    /// <summary>While set, every action waits for it before answering (a slow box).</summary>
    public TaskCompletionSource? Hold { get; set; }
    /// <summary>What every action answers.</summary>
    public Func<string, ActionResult> Answer { get; set; } = verb => ActionResult.Accepted(verb, $"{verb} done");

    public event Action<ControlState>? ControlChanged;

    public IReadOnlyList<ControllerCall> Calls
    {
        get { lock (_lock) return [.. _all]; }
    }

    public Task<ControllerCall> NextCallAsync() => _calls.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Guard);

    public void SetControl(ControlState control)
    {
        Control = control;
        ControlChanged?.Invoke(control);
    }

    public Task<ActionResult> ClaimAsync(ClaimRequest claim, CancellationToken ct = default) => Record(new("claim", claim.Source, claim));
    public Task<ActionResult> ReleaseAsync(string source, CancellationToken ct = default) => Record(new("release", source));
    public Task<ActionResult> StartAsync(string source, CancellationToken ct = default) => Record(new("start", source));
    public Task<ActionResult> StopAsync(string source, CancellationToken ct = default) => Record(new("stop", source));
    public Task<ActionResult> RebootAsync(string source, CancellationToken ct = default) => Record(new("reboot", source));

    private async Task<ActionResult> Record(ControllerCall call)
    {
        lock (_lock) _all.Add(call);
        _calls.Writer.TryWrite(call);
        if (Hold is { } hold) await hold.Task;
        return Answer(call.Verb);
    }
}

internal sealed class FakeControllers(params IChargeController[] controllers) : IChargeControllers
{
    public IReadOnlyList<IChargeController> All { get; } = controllers;

    public IChargeController? Find(string stationIdOrName)
        => All.FirstOrDefault(c => c.StationId == stationIdOrName || c.Name == stationIdOrName);
}

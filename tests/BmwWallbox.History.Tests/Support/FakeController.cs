using BmwWallbox.Core;

namespace BmwWallbox.History.Tests.Support;

/// <summary>A charge controller that only reports control changes the test makes (the recorder only listens).</summary>
internal sealed class FakeController(string stationId = "DE*BMW*1", string name = "garage") : IChargeController, IChargeControllers
{
    public string StationId => stationId;
    public string Name => name;
    public ControlState Control { get; private set; } = new(stationId, 16, "default", 16, false, []);

    public event Action<ControlState>? ControlChanged;

    public void Set(double limit, string source)
    {
        Control = Control with { EffectiveLimit = limit, LimitSource = source };
        ControlChanged?.Invoke(Control);
    }

    public IReadOnlyList<IChargeController> All => [this];
    public IChargeController? Find(string idOrName) => idOrName == stationId || idOrName == name ? this : null;

    public Task<ActionResult> ClaimAsync(ClaimRequest claim, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<ActionResult> ReleaseAsync(string source, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<ActionResult> StartAsync(string source, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<ActionResult> StopAsync(string source, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<ActionResult> RebootAsync(string source, CancellationToken ct = default) => throw new NotSupportedException();
}

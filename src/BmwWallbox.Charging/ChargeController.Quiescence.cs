namespace BmwWallbox.Charging;

public sealed partial class ChargeController
{
    /// <summary>
    /// Completes once everything queued on the controller's worker before this call has run
    /// (<c>simulate</c> waits for this before it moves the virtual clock on).
    /// </summary>
    public Task WhenIdleAsync(CancellationToken ct) => WhenIdleAsync().WaitAsync(ct);
}

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// What keeps the box from charging or from connecting: a fault, ChangeAvailability Inoperative, a
/// reboot in progress. A transport awaits <see cref="CanConnect"/> before it dials again.
/// </summary>
internal sealed class Availability
{
    private TaskCompletionSource _canConnect = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Availability() => _canConnect.SetResult();

    public bool Faulted { get; set; }
    public bool Inoperative { get; set; }
    public bool Rebooting { get; private set; }

    /// <summary>Completes when the box is not rebooting.</summary>
    public Task CanConnect => _canConnect.Task;

    /// <summary>Available, Occupied, Unavailable or Faulted.</summary>
    public string ConnectorStatus(bool carPlugged) =>
        Faulted ? "Faulted" : Inoperative ? "Unavailable" : carPlugged ? "Occupied" : "Available";

    public void BeginReboot()
    {
        Rebooting = true;
        _canConnect = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void EndReboot()
    {
        Rebooting = false;
        _canConnect.TrySetResult();
    }
}

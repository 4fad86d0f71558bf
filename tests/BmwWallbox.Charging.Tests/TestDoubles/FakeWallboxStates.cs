using BmwWallbox.Core;

namespace BmwWallbox.Charging.Tests.TestDoubles;

/// <summary>Stands in for the OCPP server's state store: tests raise its events.</summary>
public sealed class FakeWallboxStates : IWallboxStates
{
    private readonly Dictionary<string, WallboxState> _states = new(StringComparer.Ordinal);

    public IReadOnlyList<WallboxState> All => _states.Values.ToArray();
    public WallboxState? Get(string stationId) => _states.GetValueOrDefault(stationId);
    public event Action<WallboxEvent>? Changed;

    public int SubscriberCount => Changed?.GetInvocationList().Length ?? 0;

    public void Raise(WallboxEvent e)
    {
        _states[e.State.StationId] = e.State;
        Changed?.Invoke(e);
    }
}

using BmwWallbox.Core;

namespace BmwWallbox.Charging;

/// <summary>
/// The controllers of all configured stations. Given <see cref="IWallboxStates"/>, it routes each
/// station's events to its controller (create it before the OCPP server accepts connections).
/// </summary>
public sealed class ChargeControllers : IChargeControllers, IAsyncDisposable
{
    private readonly ChargeController[] _all;
    private readonly Dictionary<string, ChargeController> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChargeController> _byName = new(StringComparer.Ordinal);
    private readonly IWallboxStates? _states;

    public ChargeControllers(IEnumerable<ChargeController> controllers, IWallboxStates? states = null)
    {
        _all = controllers.ToArray();
        foreach (var controller in _all)
        {
            if (!_byId.TryAdd(controller.StationId, controller))
                throw new ArgumentException($"Two charge controllers for station id '{controller.StationId}'", nameof(controllers));
            if (!_byName.TryAdd(controller.Name, controller))
                throw new ArgumentException($"Two charge controllers named '{controller.Name}'", nameof(controllers));
        }
        _states = states;
        // Route only posts to the station's controller worker, so it may run on the receive path:
        // the controller then sees each event before the box gets its reply (and WhenIdleAsync covers it).
        _states?.AddReceivePathHandler(Route);
    }

    public IReadOnlyList<IChargeController> All => _all;

    public IChargeController? Find(string stationIdOrName)
        => _byId.GetValueOrDefault(stationIdOrName) ?? _byName.GetValueOrDefault(stationIdOrName);

    private void Route(WallboxEvent e)
    {
        if (_byId.TryGetValue(e.State.StationId, out var controller)) controller.OnWallboxEvent(e);
    }

    public async ValueTask DisposeAsync()
    {
        _states?.RemoveReceivePathHandler(Route);
        foreach (var controller in _all) await controller.DisposeAsync();
    }
}

using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Tests.Support;

/// <summary>Charge modes that only answer the installation (phases, voltage, min/max current) of every station.</summary>
internal sealed class FixedInstallation(Installation installation) : IChargeModes
{
    public ChargeMode? ModeOf(string stationIdOrName) => ChargeMode.Now;

    public Installation? InstallationOf(string stationIdOrName) => installation;

    public Task<ActionResult> SetModeAsync(string stationIdOrName, ChargeMode mode, string source, CancellationToken ct = default)
        => Task.FromResult(ActionResult.Rejected("mode", "not in this test"));

    public event Action<string, ChargeMode>? ModeChanged { add { } remove { } }
}

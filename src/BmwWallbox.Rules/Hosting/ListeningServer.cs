using BmwWallbox.Core;
using BmwWallbox.Ocpp;

namespace BmwWallbox.Rules.Hosting;

/// <summary>The daemon's transport: the TLS OCPP server. A taken port becomes a <see cref="PortInUseException"/> naming ocpp.port.</summary>
internal sealed class ListeningServer(OcppServer server, OcppOptions options) : ICsms
{
    public IReadOnlyList<StationOptions> Stations => server.Stations;

    public IWallboxStates States => server.States;

    public IOcppCommands Commands => server.Commands;

    public Task StartAsync(CancellationToken ct) =>
        PortInUseException.GuardAsync(() => server.StartAsync(ct), "OCPP", options.Bind, options.Port, "ocpp.port");

    public Task StopAsync(CancellationToken ct) => server.StopAsync(ct);

    public ValueTask DisposeAsync() => server.DisposeAsync();
}

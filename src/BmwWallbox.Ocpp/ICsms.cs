using BmwWallbox.Core;

namespace BmwWallbox.Ocpp;

/// <summary>
/// The CSMS the charge controllers talk through, whatever carries the frames: the TLS WebSocket
/// <see cref="OcppServer"/> (<c>run</c>, <c>demo</c>) or the <see cref="InProcessCsms"/> (<c>simulate</c>).
/// </summary>
public interface ICsms : IAsyncDisposable
{
    /// <summary>ocpp.stations: the stations that may connect (each gets a charge controller).</summary>
    IReadOnlyList<StationOptions> Stations { get; }

    /// <summary>The live state of every configured station.</summary>
    IWallboxStates States { get; }

    IOcppCommands Commands { get; }

    /// <summary>Starts taking connections.</summary>
    Task StartAsync(CancellationToken ct);

    /// <summary>Closes every station's session and takes no more.</summary>
    Task StopAsync(CancellationToken ct);
}

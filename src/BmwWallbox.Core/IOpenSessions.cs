namespace BmwWallbox.Core;

/// <summary>
/// The charging history's open session of each station, as scripts read it (<c>wallbox.sessionEnergy</c>,
/// <c>wallbox.pluggedInAt</c>): the same numbers the history records, kept up to date with every meter value.
/// </summary>
public interface IOpenSessions
{
    /// <summary>The station's open session (plug-in to unplug); null when none is open or the station is unknown.</summary>
    OpenSession? OpenSessionOf(string stationId);
}

/// <summary>An open session: when the car was plugged in, and the kWh charged since (meter register differences).</summary>
public sealed record OpenSession(DateTimeOffset PluggedInAt, double EnergyKWh);

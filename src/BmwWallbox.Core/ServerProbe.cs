namespace BmwWallbox.Core;

/// <summary>
/// How <c>doctor</c> asks the OCPP server "are you bmw-rules?" without posing as a station: a plain
/// GET of <see cref="Path"/>, no credentials, no WebSocket. The server answers 204 with
/// <see cref="Header"/> and does nothing else: no session, no log line, no failed login counted.
/// </summary>
public static class ServerProbe
{
    public const string Path = "bmw-rules-doctor-probe";
    public const string Header = "X-Bmw-Rules";
}

using System.Net;
using BmwWallbox.Core;

namespace BmwWallbox.Dashboard;

/// <summary>
/// The <c>http:</c> section of config.yaml: the dashboard's own listener. On by default, and safe by default:
/// without a password it listens on loopback only (this machine); a password opens it to the LAN.
/// </summary>
public sealed record HttpOptions
{
    public bool Enabled { get; init; } = true;
    /// <summary>TCP port; 0 = any free port (the demo and the tests).</summary>
    public int Port { get; init; } = 8080;
    /// <summary>Address to listen on; empty = 127.0.0.1 without a password, 0.0.0.0 (every IPv4 interface) with one.</summary>
    public string Bind { get; init; } = "";
    /// <summary>Empty = no login (allowed on loopback only).</summary>
    public string Password { get; init; } = "";
    /// <summary>Serve https with the OCPP server's certificate (<c>ocpp.tls</c>, renewed with it) instead of http.</summary>
    public bool Tls { get; init; }

    public const int MinPasswordLength = 8;

    /// <summary>The address actually listened on (see <see cref="Bind"/>).</summary>
    public string EffectiveBind => Bind.Length > 0 ? Bind : Password.Length > 0 ? "0.0.0.0" : "127.0.0.1";

    /// <summary>
    /// Every setting that makes no sense, at its config.yaml key: the one list both <c>validate</c> and the
    /// <see cref="DashboardServer"/> constructor use.
    /// </summary>
    public IReadOnlyList<OptionProblem> Problems()
    {
        var problems = new List<OptionProblem>();
        if (!Enabled) return problems;
        if (Port is < 0 or > 65535) problems.Add(new("http.port", $"http.port {Port} is not a TCP port", "use 1–65535 (default 8080)"));
        if (!TryParseBind(EffectiveBind, out var address))
            problems.Add(new("http.bind", $"http.bind must be an IP address such as 127.0.0.1 or 0.0.0.0, got '{Bind}'",
                "leave it empty: 127.0.0.1 without a password, every interface with one"));
        if (Password.Length is > 0 and < MinPasswordLength)
            problems.Add(new("http.password", $"http.password is too short ({Password.Length} characters, at least {MinPasswordLength})",
                "anyone on your network may try it; use a long random one"));
        if (address is not null && !IPAddress.IsLoopback(address) && Password.Length == 0)
            problems.Add(new("http.bind", $"http.bind {Bind} opens the dashboard to the network without http.password: anyone there could steer the wallbox",
                "set http.password (the dashboard then listens on every interface), or bind 127.0.0.1"));
        return problems;
    }

    /// <summary>An IP address, or "localhost" for loopback.</summary>
    public static bool TryParseBind(string bind, out IPAddress? address)
    {
        address = bind == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(bind, out var parsed) ? parsed : null;
        return address is not null;
    }

    /// <summary>Never print the password (records print every property by default).</summary>
    public override string ToString() => $"HttpOptions {{ Enabled = {Enabled}, Port = {Port}, Bind = {EffectiveBind}, Password = {(Password.Length > 0 ? "set" : "none")}, Tls = {Tls} }}";
}

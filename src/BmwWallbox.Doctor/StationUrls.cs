using System.Net;
using System.Net.Sockets;

namespace BmwWallbox.Doctor;

/// <summary>Step 4: the exact URL to type into the wallbox's installer app, per station.</summary>
internal static class StationUrls
{
    private const int Step = DoctorSteps.Urls;
    private const int MaxIdLength = 48;

    public static IReadOnlyList<DoctorCheck> Run(DoctorInput input)
    {
        if (input.Stations.Count == 0)
            return [DoctorCheck.Fail(Step, "url", "no station configured", $"add the wallbox under ocpp.stations in {input.ConfigPath} (id, password, name)")];
        var known = !string.IsNullOrWhiteSpace(input.Host);
        var baseUrl = $"{(input.AllowInsecure ? "ws" : "wss")}://{(known ? UrlHost(input.Host!) : "<host>")}:{input.Port}/";
        var results = input.Stations.Select(s => ForStation(s, baseUrl)).ToList();
        if (!known)
            results.Add(DoctorCheck.Info(Step, "url.host", "<host> is the DNS name of this machine that the certificate covers",
                "pass it with --host to get the exact URL and have it checked against the certificate"));
        return results;
    }

    internal static DoctorCheck ForStation(DoctorStation station, string baseUrl)
    {
        var id = station.Id;
        if (id.Length == 0 || id.Length > MaxIdLength || id.Contains(':'))
            return DoctorCheck.Fail(Step, "url", $"station id '{id}' is not usable in OCPP (1–{MaxIdLength} characters, no ':')",
                "use the station id exactly as the installer app shows it");
        var raw = baseUrl + id;
        var encoded = baseUrl + Uri.EscapeDataString(id);
        var message = raw == encoded
            ? $"{station.Name}: {raw}"
            : $"{station.Name}: {raw}  (percent-encoded: {encoded}; the box accepts the raw form)";
        return DoctorCheck.Info(Step, "url", message);
    }

    private static string UrlHost(string host) =>
        IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
}

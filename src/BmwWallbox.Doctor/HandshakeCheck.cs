using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Text;

namespace BmwWallbox.Doctor;

/// <summary>
/// Step 5: connect to the running server over loopback exactly as each configured station would
/// (TLS, Basic auth with the station id and password, subprotocol ocpp2.0.1), then close normally.
/// The server sees a real (short) station session. A station that is connected right now is not
/// tried: its live connection already proves all this, and a second connection with its id would
/// replace the box's session on the server.
/// </summary>
internal sealed class HandshakeCheck(TimeProvider time)
{
    private const int Step = DoctorSteps.Handshake;
    internal const string Subprotocol = "ocpp2.0.1";

    /// <param name="connectedNow">Ids of stations the running instance reports as connected.</param>
    public async Task<IReadOnlyList<DoctorCheck>> RunAsync(DoctorInput input, IReadOnlySet<string> connectedNow, CancellationToken ct)
    {
        if (input.Stations.Count == 0)
            return [DoctorCheck.Info(Step, "handshake", "no station configured to try (see step 4)")];
        var results = new List<DoctorCheck>();
        foreach (var station in input.Stations)
        {
            if (connectedNow.Contains(station.Id))
            {
                results.Add(DoctorCheck.Ok(Step, "handshake", $"station {station.Id} is connected right now, so TLS, password and {Subprotocol} work (not re-tried: it would replace the box's session)"));
                continue;
            }
            var check = await ConnectAsync(input, station, ct);
            if (check is null)
                return [DoctorCheck.Warn(Step, "handshake", $"no running instance: nothing answers on {LoopbackBase(input)}", input.StartFix)];
            results.Add(check);
        }
        return results;
    }

    /// <summary>The handshake's outcome; null when nothing listens on the port.</summary>
    private async Task<DoctorCheck?> ConnectAsync(DoctorInput input, DoctorStation station, CancellationToken ct)
    {
        var uri = new Uri(LoopbackBase(input) + Uri.EscapeDataString(station.Id));
        var who = $"station {station.Id}";
        using var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol(Subprotocol);
        ws.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{station.Id}:{station.Password}")));
        ws.Options.CollectHttpResponseDetails = true;
        string? served = null;
        // Accept whatever the server presents (step 2 judges the files); we only report what was served.
        ws.Options.RemoteCertificateValidationCallback = (_, cert, _, _) =>
        {
            served = cert is null ? null : cert.Subject == cert.Issuer ? $"{cert.Subject} (self-signed)" : $"{cert.Subject}, issued by {cert.Issuer}";
            return true;
        };
        using var timeout = new CancellationTokenSource(input.HandshakeTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await ws.ConnectAsync(uri, linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DoctorCheck.Fail(Step, "handshake", $"{who}: no handshake within {input.HandshakeTimeout.TotalSeconds:0} s on {uri}",
                "the process on the port is not answering like bmw-rules (see step 3), or the server hangs: restart it");
        }
        catch (WebSocketException e)
        {
            return Refused(input, who, (int)ws.HttpStatusCode, e);
        }

        var certificate = served is null ? "" : $"; server certificate {served}";
        var result = ws.SubProtocol == Subprotocol
            ? DoctorCheck.Ok(Step, "handshake", $"{who}: handshake OK ({(input.AllowInsecure ? "plain ws" : "TLS")}, password accepted, {Subprotocol}){certificate}")
            : DoctorCheck.Fail(Step, "handshake", $"{who}: the server did not agree to subprotocol {Subprotocol} (answered '{ws.SubProtocol ?? "none"}')",
                "the process on this port is not bmw-rules (see step 3), or an old version: update and restart it");
        await CloseAsync(ws, linked.Token);
        return result;
    }

    private static DoctorCheck? Refused(DoctorInput input, string who, int status, WebSocketException e)
    {
        if (status == (int)HttpStatusCode.Unauthorized)
            return DoctorCheck.Fail(Step, "handshake.password", $"{who}: the server refused the password (HTTP 401)",
                $"the password in {input.ConfigPath} differs from the one the running instance loaded: restart bmw-rules after editing config.yaml, and set the same password in the installer app");
        if (status == (int)HttpStatusCode.NotFound)
            return DoctorCheck.Fail(Step, "handshake.station", $"{who}: the running instance does not know this station (HTTP 404)",
                $"restart bmw-rules so it loads ocpp.stations from {input.ConfigPath}; the id must match the installer app exactly");
        if (status != 0)
            return DoctorCheck.Fail(Step, "handshake", $"{who}: the server answered HTTP {status} instead of a WebSocket upgrade",
                "the process on this port is not bmw-rules' OCPP server (see step 3)");
        if (Find<SocketException>(e) is { SocketErrorCode: SocketError.ConnectionRefused })
            return null;
        if (Find<AuthenticationException>(e) is not null || Find<HttpRequestException>(e) is { HttpRequestError: HttpRequestError.SecureConnectionError })
            return DoctorCheck.Fail(Step, "handshake.tls", $"{who}: TLS handshake failed: {Innermost(e).Message}",
                input.AllowInsecure ? "the server speaks TLS although ocpp.allow_insecure is on: restart it with the current config" : "fix the certificate (step 2) and restart bmw-rules; a server started with allow_insecure speaks plain ws");
        return DoctorCheck.Fail(Step, "handshake", $"{who}: handshake failed: {Innermost(e).Message}",
            input.AllowInsecure ? "the server may speak TLS (wss) although ocpp.allow_insecure is on: restart it with the current config" : "check step 3 (who holds the port) and the bmw-rules log");
    }

    private static async Task CloseAsync(ClientWebSocket ws, CancellationToken ct)
    {
        try
        {
            await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bmw-rules doctor", ct);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The handshake is what we check; a lost close frame changes nothing for the user.
        }
    }

    internal static string LoopbackBase(DoctorInput input)
    {
        var host = !IPAddress.TryParse(input.BindAddress, out var bind) || bind.Equals(IPAddress.Any) ? "127.0.0.1"
            : bind.Equals(IPAddress.IPv6Any) ? "[::1]"
            : bind.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{bind}]"
            : bind.ToString();
        return $"{(input.AllowInsecure ? "ws" : "wss")}://{host}:{input.Port}/";
    }

    private static T? Find<T>(Exception e) where T : Exception
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is T found) return found;
        return null;
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}

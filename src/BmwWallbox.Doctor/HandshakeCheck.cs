using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using BmwWallbox.Core;

namespace BmwWallbox.Doctor;

/// <summary>
/// Step 5: probe the running server over loopback without posing as a station. One TLS handshake
/// and one plain HTTP GET of <see cref="ServerProbe.Path"/>, without credentials and without a
/// WebSocket upgrade: the server answers it quietly and opens no session, so the daemon sees no connect or disconnect,
/// fires no rule and changes nothing on MQTT. The station passwords never leave this machine's
/// config (step 1 checks them); whatever holds the port learns nothing from the doctor.
/// </summary>
internal sealed class HandshakeCheck(TimeProvider time)
{
    private const int Step = DoctorSteps.Handshake;

    /// <param name="portCheck">Step 3's finding: when it failed (e.g. another program holds the port) nothing is sent.</param>
    public async Task<IReadOnlyList<DoctorCheck>> RunAsync(DoctorInput input, DoctorCheck portCheck, CancellationToken ct)
    {
        if (portCheck.Status == CheckStatus.Fail)
            return [DoctorCheck.Info(Step, "handshake", "not probed: see step 3 (the doctor sends nothing to a port bmw-rules does not hold)")];
        var (probe, served) = await ProbeAsync(input, ct);
        using (served)
        {
            if (probe is null)
                return [DoctorCheck.Warn(Step, "handshake", $"no running instance: nothing answers on {LoopbackBase(input)}", input.StartFix)];
            if (probe.Status != CheckStatus.Ok || served is null) return [probe];
            return await NotTheFilesAsync(input, served, ct) is { } stale ? [probe, stale] : [probe];
        }
    }

    /// <summary>
    /// A running bmw-rules serves renewed files within seconds: when it serves another certificate than
    /// ocpp.tls.cert holds, the new files did not load (its log says why) or the path changed since it started.
    /// </summary>
    private static async Task<DoctorCheck?> NotTheFilesAsync(DoctorInput input, X509Certificate2 served, CancellationToken ct)
    {
        var (certs, _) = await CertificateFiles.ReadCertificatesAsync(input.CertPath, ct);
        if (certs is not [var leaf, ..]) return null; // step 2 reports missing or broken files
        try
        {
            if (leaf.Thumbprint == served.Thumbprint) return null;
            return DoctorCheck.Warn(Step, "handshake.certificate",
                $"the running server presents {served.Subject}, valid until {served.NotAfter.ToUniversalTime():yyyy-MM-dd}, " +
                $"not the certificate in {input.CertPath} ({leaf.Subject}, valid until {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd})",
                "bmw-rules serves changed files within seconds: if this stays, its log says why (\"TLS files … changed but cannot be used\"); " +
                "a new ocpp.tls.cert path needs a restart");
        }
        finally
        {
            foreach (var cert in certs) cert.Dispose();
        }
    }

    /// <summary>The probe's outcome (null when nothing listens on the port) and the certificate the server presented.</summary>
    private async Task<(DoctorCheck? Probe, X509Certificate2? Served)> ProbeAsync(DoctorInput input, CancellationToken ct)
    {
        var uri = new Uri(LoopbackBase(input) + ServerProbe.Path);
        X509Certificate2? presented = null;
        using var handler = new SocketsHttpHandler { UseCookies = false, UseProxy = false, AllowAutoRedirect = false, PreAuthenticate = false };
        // Any certificate is fine here (step 2 judges the files): nothing secret is sent, we only report what was served.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
        {
            // A copy: the handshake's own object is disposed with the connection.
            presented = cert is null ? null : X509CertificateLoader.LoadCertificate(cert.GetRawCertData());
            return true;
        };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var timeout = new CancellationTokenSource(input.HandshakeTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        int status;
        bool isBmwRules;
        try
        {
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            status = (int)response.StatusCode;
            isBmwRules = response.StatusCode == HttpStatusCode.NoContent && response.Headers.Contains(ServerProbe.Header);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (DoctorCheck.Fail(Step, "handshake", $"no answer within {input.HandshakeTimeout.TotalSeconds:0} s on {LoopbackBase(input)}",
                "the process on the port is not answering like bmw-rules (see step 3), or the server hangs: restart it"), null);
        }
        catch (HttpRequestException e)
        {
            return (Failed(input, e), null);
        }

        var transport = input.AllowInsecure ? "plain ws" : "TLS";
        var certificate = presented is null ? ""
            : $"; server certificate {presented.Subject}{(presented.Subject == presented.Issuer ? " (self-signed)" : $", issued by {presented.Issuer}")}";
        var probe = isBmwRules
            ? DoctorCheck.Ok(Step, "handshake", $"the server answers on {LoopbackBase(input)} ({transport}){certificate}; no station credentials sent (the box's own connection proves the password, see step 6)")
            : DoctorCheck.Fail(Step, "handshake", $"{LoopbackBase(input)}{ServerProbe.Path} answered HTTP {status}, not as bmw-rules answers its probe",
                "the process on this port is not bmw-rules' OCPP server (see step 3)");
        return (probe, presented);
    }

    private static DoctorCheck? Failed(DoctorInput input, HttpRequestException e)
    {
        if (Find<SocketException>(e) is { SocketErrorCode: SocketError.ConnectionRefused })
            return null;
        if (Find<AuthenticationException>(e) is not null || e.HttpRequestError == HttpRequestError.SecureConnectionError)
            return DoctorCheck.Fail(Step, "handshake.tls", $"TLS handshake failed: {Innermost(e).Message}",
                input.AllowInsecure ? "the server speaks TLS although ocpp.allow_insecure is on: restart it with the current config" : "fix the certificate files (step 2): a running bmw-rules serves corrected files within seconds; a server started with allow_insecure speaks plain ws");
        return DoctorCheck.Fail(Step, "handshake", $"probe failed: {Innermost(e).Message}",
            input.AllowInsecure ? "the server may speak TLS (wss) although ocpp.allow_insecure is on: restart it with the current config" : "check step 3 (who holds the port) and the bmw-rules log");
    }

    /// <summary>The server's base URL over loopback, http(s) for the probe (the box dials the same port with ws(s)).</summary>
    internal static string LoopbackBase(DoctorInput input)
    {
        var host = !IPAddress.TryParse(input.BindAddress, out var bind) || bind.Equals(IPAddress.Any) ? "127.0.0.1"
            : bind.Equals(IPAddress.IPv6Any) ? "[::1]"
            : bind.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{bind}]"
            : bind.ToString();
        return $"{(input.AllowInsecure ? "http" : "https")}://{host}:{input.Port}/";
    }

    private static T? Find<T>(Exception e) where T : Exception
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is T found) return found;
        return null;
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}

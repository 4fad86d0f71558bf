using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// Whether this machine's OpenSSL already offers the plain-RSA suites of security profile 2 without a
/// cipher-suite policy of ours. .NET keeps one OpenSSL context per certificate (and resumes TLS
/// sessions) only for connections without a policy; with one, every connection builds and keeps its
/// own context (~13 KB and a share of the handshake's CPU each). .NET's own default list, used when
/// the system's openssl.cnf names no CipherString (Debian 12, Raspberry Pi OS), lacks the plain-RSA
/// suites; an openssl.cnf with one such as <c>DEFAULT:@SECLEVEL=2</c> (Ubuntu, or OPENSSL_CONF) has them.
/// Found out once, by a loopback handshake whose client offers only those suites.
/// </summary>
internal static class TlsDefaultOffer
{
    [SupportedOSPlatform("linux")]
    public static async Task<bool> HasPlainRsaSuitesAsync(X509Certificate2 certificate, CancellationToken ct)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        var accepting = listener.AcceptTcpClientAsync(ct).AsTask();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, ct);
        using var accepted = await accepting;
        await using var serverTls = new SslStream(accepted.GetStream());
        await using var clientTls = new SslStream(client.GetStream());
        var server = serverTls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = certificate,
            EnabledSslProtocols = SslProtocols.Tls12,
        }, ct);
        var offered = clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12,
            CipherSuitesPolicy = new CipherSuitesPolicy([TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384]),
            RemoteCertificateValidationCallback = (_, _, _, _) => true, // only the suite matters here
        }, ct);
        try
        {
            await Task.WhenAll(server, offered);
            return true;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return false; // no common suite: the default offer lacks them
        }
    }
}

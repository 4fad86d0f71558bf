using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace BmwWallbox.TestKit.Tls;

/// <summary>One TLS handshake with the server (no HTTP after it), trusting whatever it presents, and what came of it.</summary>
public static class TlsHandshake
{
    /// <param name="suites">The only suites the client offers (Linux; none: the client's defaults).</param>
    public static async Task<Result> RunAsync(int port, SslProtocols protocols = SslProtocols.None, params TlsCipherSuite[] suites)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        string[] chain = [];
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
            CipherSuitesPolicy = suites.Length > 0 && OperatingSystem.IsLinux() ? new CipherSuitesPolicy(suites) : null,
            RemoteCertificateValidationCallback = (_, _, presented, _) =>
            {
                // Only the server can have supplied intermediates: they are in no store here.
                chain = presented!.ChainElements.Select(e => e.Certificate.Thumbprint).ToArray();
                return true;
            },
        }).WaitAsync(TestTimeouts.Guard);
        return new Result(tls.SslProtocol, tls.NegotiatedCipherSuite, chain);
    }

    /// <param name="Chain">The thumbprints of the certificates the client saw, leaf first.</param>
    public sealed record Result(SslProtocols Protocol, TlsCipherSuite Suite, string[] Chain);
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace BmwWallbox.Ocpp.Server;

/// <summary>
/// The certificate new TLS handshakes present. Kestrel is started with the first one; after a renewal
/// (<see cref="Replace"/>) every handshake gets the new one instead, with no restart. Connections already
/// open keep the certificate they were handshaken with.
/// </summary>
internal sealed class ServedCertificate(ServerCertificate first)
{
    private readonly bool _firstIsRsa = HasRsaKey(first.Certificate);
    private volatile Renewal? _renewed;

    /// <summary>Whether the certificate served now has an RSA key (else EC): which ECDHE suites it can serve.</summary>
    public bool IsRsa => _renewed?.IsRsa ?? _firstIsRsa;

    /// <summary>Serves <paramref name="certificate"/> (leaf and intermediates, quirk 11) from the next handshake on.</summary>
    public void Replace(ServerCertificate certificate) =>
        // Built once here, as Kestrel builds the first one: a handshake then only picks it up.
        _renewed = new Renewal(certificate.Certificate,
            SslStreamCertificateContext.Create(certificate.Certificate, additionalCertificates: certificate.Chain),
            HasRsaKey(certificate.Certificate));

    /// <summary>For <c>OnAuthenticate</c>: Kestrel has filled in the first certificate; after a renewal the new one replaces it.</summary>
    public void Apply(SslServerAuthenticationOptions ssl)
    {
        if (_renewed is not { } renewed) return;
        ssl.ServerCertificate = renewed.Certificate;
        ssl.ServerCertificateContext = renewed.Context;
    }

    private static bool HasRsaKey(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey();
        return rsa is not null;
    }

    private sealed record Renewal(X509Certificate2 Certificate, SslStreamCertificateContext Context, bool IsRsa);
}

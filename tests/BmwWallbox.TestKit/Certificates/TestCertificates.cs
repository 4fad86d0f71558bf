using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BmwWallbox.TestKit.Certificates;

/// <summary>Builds real certificates and chains (CA → intermediate → leaf), each with its private key.</summary>
public static class TestCertificates
{
    /// <summary>A CA, self-signed or issued by <paramref name="issuer"/>, valid five years either side of <paramref name="now"/>.</summary>
    public static X509Certificate2 Ca(string name, DateTimeOffset now, X509Certificate2? issuer = null) =>
        Create(name, ECDsa.Create(ECCurve.NamedCurves.nistP256), issuer, isCa: true, now.AddYears(-5), now.AddYears(5), san: null);

    /// <summary>A TLS server leaf (ECDSA key) for <paramref name="names"/> (DNS names or IP addresses; the first is its CN), issued by <paramref name="issuer"/> (null = self-signed).</summary>
    public static X509Certificate2 Leaf(X509Certificate2? issuer, DateTimeOffset notBefore, DateTimeOffset notAfter, params string[] names) =>
        Create(names.FirstOrDefault() ?? "no-name", ECDsa.Create(ECCurve.NamedCurves.nistP256), issuer, isCa: false, notBefore, notAfter, SubjectAlternativeNames(names));

    /// <summary>A valid leaf for <paramref name="names"/> issued by <paramref name="issuer"/> (null = self-signed).</summary>
    public static X509Certificate2 Leaf(X509Certificate2? issuer, DateTimeOffset now, params string[] names) =>
        Leaf(issuer, now.AddDays(-10), now.AddDays(90), names);

    /// <summary>A valid leaf with an RSA key, for TLS cipher suites with RSA key exchange.</summary>
    public static X509Certificate2 RsaLeaf(X509Certificate2? issuer, DateTimeOffset now, params string[] names) =>
        Create(names.FirstOrDefault() ?? "no-name", RSA.Create(2048), issuer, isCa: false, now.AddDays(-10), now.AddDays(90), SubjectAlternativeNames(names));

    /// <summary>The certificates as one PEM file (leaf first, like a fullchain.pem).</summary>
    public static string Pem(params X509Certificate2[] chain) => string.Concat(chain.Select(c => c.ExportCertificatePem() + "\n"));

    /// <summary>The certificate's private key as PKCS#8 PEM.</summary>
    public static string KeyPem(X509Certificate2 cert) =>
        (cert.GetECDsaPrivateKey() as AsymmetricAlgorithm ?? cert.GetRSAPrivateKey()!).ExportPkcs8PrivateKeyPem();

    private static X509Extension? SubjectAlternativeNames(string[] names)
    {
        if (names.Length == 0) return null;
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip)) san.AddIpAddress(ip);
            else san.AddDnsName(name);
        }
        return san.Build();
    }

    private static X509Certificate2 Create(string name, AsymmetricAlgorithm key, X509Certificate2? issuer, bool isCa, DateTimeOffset notBefore, DateTimeOffset notAfter, X509Extension? san)
    {
        var request = key switch
        {
            ECDsa ec => new CertificateRequest($"CN={name}", ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("ECDSA or RSA", nameof(key)),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            isCa ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign
                : key is RSA ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (!isCa) request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        if (san is not null) request.CertificateExtensions.Add(san);
        if (issuer is null) return request.CreateSelfSigned(notBefore, notAfter);
        // The CAs have ECDSA keys; an explicit signer lets them issue RSA leaves too (as public CAs do).
        using var issuerKey = issuer.GetECDsaPrivateKey() ?? throw new ArgumentException("issuer must be a CA from TestCertificates.Ca", nameof(issuer));
        using var signed = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return key switch
        {
            ECDsa ec => signed.CopyWithPrivateKey(ec),
            _ => signed.CopyWithPrivateKey((RSA)key),
        };
    }
}
